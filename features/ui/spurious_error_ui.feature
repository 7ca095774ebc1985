@ui
Feature: The spurious Azure error, clicked through the three portals
  Activate in Partner Center, add the contract in Support for Business (step 2 shows the remaining
  incidents), then "Link support benefits" in the Azure portal: the error "This Access ID is already
  associated with an account..." appears, and "+ New support request" works all the same.

  Background:
    Given "Contoso" is a Gold partner with the "Cloud Platform" competency
    And "admin@contoso.com" is a Global admin of "Contoso"
    And "user@contoso.com" is a user of "Contoso"
    And activation is immediate

  @R-AZ-02 @R-AZ-05 @R-AZ-06 @R-SFB-05 @R-SFB-07 @D5
  Scenario: Activate, add the contract, link it in Azure, ignore the error, create the request
    When I open the Technical benefits page as "admin@contoso.com"
    And I press "Activate"
    Then the browser shows an Access ID and a Contract ID
    When I start a support request in Support for Business as "user@contoso.com" for "Windows 10"
    And I expand "Do you need to purchase or add more support plans"
    And I enter the Access ID and Contract ID
    And I press "Add contract"
    Then the browser shows step 2 with the partner support contract and 20 remaining incidents
    When I open Support plans in the Azure portal as "user@contoso.com"
    And I enter the Access ID and Contract ID
    And I press "Link support benefits"
    Then the browser shows the error "This Access ID is already associated with an account. Please contact your Technical Account Manager to get a new Access ID."
    And the browser shows no remaining incidents
    When I click "+ New support request"
    Then the support plan list offers the plan of the contract
    When I describe a problem with "Virtual Machine running Windows"
    And I press "Create"
    Then the browser is on the Azure portal at "/support/requests/"
    And the browser shows the new support request

  @R-AZ-08 @D5
  Scenario: In diagnostic mode the same link says what to do instead
    Given the Azure portal is in diagnostic mode
    And the technical benefits of "Contoso" are active
    And "user@contoso.com" has added the contract of "Contoso" in Support for Business
    And I know the Access ID and Contract ID of "Contoso"
    When I open Support plans in the Azure portal as "user@contoso.com"
    And I enter the Access ID and Contract ID
    And I press "Link support benefits"
    Then the browser shows the error "This contract is already linked to your account: there is nothing to link, create a new support request with + New support request"
