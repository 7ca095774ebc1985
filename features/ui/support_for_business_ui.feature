@ui
Feature: Support for Business in the browser: Add contract, remaining incidents, both expanders
  Step 2 of a new support request shows the partner support contract with its start date, end
  date and remaining incidents. "Do you need to purchase or add more support plans" holds Add
  contract; "Would you like to see unavailable support plans?" lists the contracts that cannot be
  used for this request.

  Background:
    Given "Contoso" is a Gold partner with the "Cloud Platform" competency
    And "admin@contoso.com" is a Global admin of "Contoso"
    And "engineer@outlook.com" is a personal Microsoft account
    And the technical benefits of "Contoso" are active
    And I know the Access ID and Contract ID of "Contoso"

  @R-SFB-03 @R-SFB-06 @R-SFB-07
  Scenario: Add contract behind the first expander, then step 2 shows the remaining incidents
    When I start a support request in Support for Business as "engineer@outlook.com" for "Windows 10"
    Then the browser shows "No support plan is available for this request"
    When I expand "Do you need to purchase or add more support plans"
    And I enter the Access ID and Contract ID
    And I press "Add contract"
    Then the browser shows step 2 with the partner support contract and 20 remaining incidents
    When I click "Support requests"
    Then the browser shows "No support requests yet"

  @R-SFB-01 @R-SFB-08
  Scenario: The second expander shows the contract and the Signature information for a product older than n-1
    Given "engineer@outlook.com" has added the contract of "Contoso" in Support for Business
    When I start a support request in Support for Business as "engineer@outlook.com" for "Windows 7"
    Then the browser shows "No support plan is available for this request"
    When I expand "Would you like to see unavailable support plans?"
    Then the unavailable support plans list the contract as "Older than n-1, not covered"
    And the unavailable support plans show the Signature information "Membership offer: Gold"
    And the unavailable support plans show the Signature information "Signature Cloud Support: Unlimited"

  @R-SFB-01 @D7 @D10
  Scenario: Step 1 groups the products, and Windows 11 appears once the clock passes its release
    When I open Support for Business as "engineer@outlook.com"
    Then the product list offers "Windows 8.1" under "Covered under the n-1 policy"
    And the product list offers "Windows 7" under "Older than n-1, not covered"
    And the product list does not offer "Windows 11"
    When the simulated date becomes 2021-10-04
    And I reload the page
    Then the product list offers "Windows 11" under "Covered under the n-1 policy"
    And the product list offers "Windows 8.1" under "Older than n-1, not covered"
