Feature: A CSP partner's Admin agent opens a support request for a customer
  A user with the Admin agent role opens Customers, a customer, Service management, New request;
  choosing the workload opens that workload's portal (Azure), adds the support contract and creates
  the request. Other roles cannot.
  The contract is the partner's "Cloud Solution Provider" support contract: the first request adds
  it to the customer, whose support plans list it from then on; later requests reuse it (D12).

  Background:
    Given "Wingtip" is a Silver partner with the "Security" competency
    And "Wingtip" is also a CSP partner with the customer "Woodgrove Bank"
    And "Wingtip" is also a CSP partner with the customer "Relecloud"
    And "agent@wingtip.com" is an Admin agent of "Wingtip"
    And "admin@wingtip.com" is a Global admin of "Wingtip"
    And "user@wingtip.com" is a user of "Wingtip"

  @R-CSP-01 @R-AZ-04
  Scenario: The Admin agent creates the request in the Azure portal
    When "agent@wingtip.com" opens Customers in Partner Center
    Then the customers are "Woodgrove Bank, Relecloud"
    When "agent@wingtip.com" opens "Woodgrove Bank" > Service management > New request for the "azure" workload
    Then the Azure portal opens on the new request for "Woodgrove Bank"
    And the support request is created on the "Cloud Solution Provider" plan

  @R-CSP-01
  Scenario: The same flow through the Partner Center pages
    When "agent@wingtip.com" submits New request for "Relecloud" on the Service management page
    Then the browser lands on the Azure portal's page of the new request for "Relecloud"

  @R-CSP-01 @D12
  Scenario: The first request adds the partner's Cloud Solution Provider contract to the customer; the next reuses it
    Then "agent@wingtip.com" sees no support plan for "Woodgrove Bank"
    When "agent@wingtip.com" opens "Woodgrove Bank" > Service management > New request for the "azure" workload
    Then the request is filed on the Cloud Solution Provider contract of "Wingtip"
    And the Azure portal's page of the request lists that contract among the support plans of "Woodgrove Bank"
    And "agent@wingtip.com" sees that contract as the one support plan of "Woodgrove Bank", added on 2021-03-04 in the Azure portal
    And the Azure portal shows that contract among the support plans of "Woodgrove Bank" to "agent@wingtip.com"
    When 2 days pass
    And "agent@wingtip.com" opens "Woodgrove Bank" > Service management > New request for the "azure" workload
    Then the request is filed on the same Cloud Solution Provider contract of "Wingtip"
    And "agent@wingtip.com" sees that contract as the one support plan of "Woodgrove Bank", added on 2021-03-04 in the Azure portal

  @R-CSP-01 @D12
  Scenario: A request for another customer adds the same contract to that customer
    When "agent@wingtip.com" opens "Woodgrove Bank" > Service management > New request for the "azure" workload
    Then the request is filed on the Cloud Solution Provider contract of "Wingtip"
    And "agent@wingtip.com" sees no support plan for "Relecloud"
    When 1 day passes
    And "agent@wingtip.com" opens "Relecloud" > Service management > New request for the "azure" workload
    Then the request is filed on the same Cloud Solution Provider contract of "Wingtip"
    And "agent@wingtip.com" sees that contract as the one support plan of "Relecloud", added on 2021-03-05 in the Azure portal
    And the Azure portal shows that contract among the support plans of "Relecloud" to "agent@wingtip.com"

  @R-CSP-01 @D12 @D11
  Scenario: A refused request adds no contract
    When "user@wingtip.com" opens "Woodgrove Bank" > Service management > New request for the "azure" workload
    Then the request is refused with "RoleRequired"
    When "agent@wingtip.com" opens "Woodgrove Bank" > Service management > New request for the "dynamics" workload
    Then the request is refused with "WorkloadNotFound"
    And "agent@wingtip.com" sees no support plan for "Woodgrove Bank"

  @R-CSP-01 @D11
  Scenario Outline: A <role> cannot open Customers
    When "<account>" opens Customers in Partner Center
    Then the request is refused with "RoleRequired"
    And the refusal names the reason "role"
    When "<account>" opens "Woodgrove Bank" > Service management > New request for the "azure" workload
    Then the request is refused with "RoleRequired"

    Examples:
      | role         | account           |
      | Global admin | admin@wingtip.com |
      | user         | user@wingtip.com  |

  @R-CSP-01 @D11
  Scenario: An Admin agent of a partner outside CSP has no customers
    Given "Contoso" is a Gold partner
    And "agent@contoso.com" is an Admin agent of "Contoso"
    When "agent@contoso.com" opens Customers in Partner Center
    Then the request is refused with "NotAuthorized"

  @R-CSP-01 @D11
  Scenario: An unknown customer or workload is named
    When "agent@wingtip.com" opens "Fourth Coffee" > Service management > New request for the "azure" workload
    Then the request is refused with "CustomerNotFound"
    When "agent@wingtip.com" opens "Woodgrove Bank" > Service management > New request for the "dynamics" workload
    Then the request is refused with "WorkloadNotFound"
