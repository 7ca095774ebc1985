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
  Scenario: The second expander shows the contract as unavailable for an older product
    Given "engineer@outlook.com" has added the contract of "Contoso" in Support for Business
    When I start a support request in Support for Business as "engineer@outlook.com" for "Windows 7"
    Then the browser shows "No support plan is available for this request"
    When I expand "Would you like to see unavailable support plans?"
    Then the unavailable support plans list the contract as "Older product (n-1): not covered"
