@ui
Feature: A CSP Admin agent's request, across the redirect to the Azure portal
  Customers, a customer, Service management, New request: choosing the Azure workload opens the
  Azure portal on the request Partner Center created, on the "Cloud Solution Provider" plan.

  Background:
    Given "Wingtip" is a Silver partner with the "Security" competency
    And "Wingtip" is also a CSP partner with the customer "Woodgrove Bank"
    And "agent@wingtip.com" is an Admin agent of "Wingtip"
    And "user@wingtip.com" is a user of "Wingtip"

  @R-CSP-01 @R-AZ-04
  Scenario: Customers › Woodgrove Bank › Service management › New request lands in the Azure portal
    When I open Customers in Partner Center as "agent@wingtip.com"
    And I click "Woodgrove Bank"
    And I click "Service management"
    And I describe a problem with "App Service"
    And I press "Create"
    Then the browser is on the Azure portal at "/support/requests/"
    And the browser shows the new support request
    And the browser shows "Cloud Solution Provider"
    And the browser shows "Woodgrove Bank"

  @R-CSP-01 @D11
  Scenario: A user without the Admin agent role is refused on Customers
    When I open Customers in Partner Center as "user@wingtip.com"
    Then the browser shows the error "This action needs one of these roles: Admin agent"
