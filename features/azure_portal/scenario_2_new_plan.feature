Feature: Scenario 2: an expired or used-up contract, and a new support plan
  When the contract has expired, or the Signature 10-pack (Gold, other competencies) or 5-pack
  (Silver) has no incidents left, the contract is hidden as invalid; linking it again shows the same
  error; a new support plan must be purchased to get Azure incidents. Paid plans: Premier Support
  for Partners (top tier) and Advanced Support for Partners (cloud products only).

  Background:
    Given "Fabrikam" is a Gold partner with the "Data Analytics" competency
    And "admin@fabrikam.com" is a Global admin of "Fabrikam"
    And "user@fabrikam.com" is a user of "Fabrikam"
    And the technical benefits of "Fabrikam" are active

  @R-AZ-07 @D6
  Scenario: The Signature 10-pack is used up, then a Premier plan is bought
    Given "user@fabrikam.com" has linked the support benefits of "Fabrikam" in the Azure portal
    When "user@fabrikam.com" creates 10 new support requests for "App Service" in the Azure portal
    Then "+ New support request" for "user@fabrikam.com" lists no support plan
    When "user@fabrikam.com" links the support benefits of "Fabrikam" in the Azure portal
    Then she sees "This Access ID is already associated with an account. Please contact your Technical Account Manager to get a new Access ID."
    When "user@fabrikam.com" creates a new support request for "App Service" in the Azure portal
    Then the request is refused with "NoSupportPlan"
    When "admin@fabrikam.com" buys "Premier Support for Partners" in Partner Center
    Then the bought plan has an Access ID and a Contract ID other than those of the benefits of "Fabrikam"
    When "user@fabrikam.com" links the support benefits of the bought plan in the Azure portal
    Then the "Premier Support for Partners" plan is linked
    When "user@fabrikam.com" creates a new support request for "App Service" in the Azure portal
    Then the support request is created on the "Premier Support for Partners" plan

  @R-AZ-07 @D6
  Scenario: The Signature 5-pack of a Silver partner is used up
    Given "Northwind" is a Silver partner with the "Application Development" competency
    And "admin@northwind.com" is a Global admin of "Northwind"
    And the technical benefits of "Northwind" are active
    And "admin@northwind.com" has linked the support benefits of "Northwind" in the Azure portal
    When "admin@northwind.com" creates 5 new support requests for "Storage Account" in the Azure portal
    Then "+ New support request" for "admin@northwind.com" lists no support plan
    When "admin@northwind.com" links the support benefits of "Northwind" in the Azure portal
    Then the Azure portal answers 409 "AccessIdAlreadyAssociated"

  @R-AZ-07 @D3 @D10
  Scenario: The contract has expired, then an Advanced plan is bought
    Given "user@fabrikam.com" has linked the support benefits of "Fabrikam" in the Azure portal
    When 366 days pass
    Then "+ New support request" for "user@fabrikam.com" lists no support plan
    When "user@fabrikam.com" links the support benefits of "Fabrikam" in the Azure portal
    Then she sees "This Access ID is already associated with an account. Please contact your Technical Account Manager to get a new Access ID."
    When "admin@fabrikam.com" buys "Advanced Support for Partners" in Partner Center
    Then the bought plan has an Access ID and a Contract ID other than those of the benefits of "Fabrikam"
    And "+ New support request" for "admin@fabrikam.com" lists the "Advanced Support for Partners" plan
    When "admin@fabrikam.com" creates a new support request for "Microsoft 365" in the Azure portal
    Then the support request is created on the "Advanced Support for Partners" plan

  @D6
  Scenario: Each request on the Signature 10-pack uses exactly one cloud incident
    Given "user@fabrikam.com" has linked the support benefits of "Fabrikam" in the Azure portal
    Then the Signature Cloud pool of "Fabrikam" has 10 incidents left
    When "user@fabrikam.com" creates a new support request for "App Service" in the Azure portal
    Then the support request is created on the Signature Cloud Support plan of "Fabrikam"
    And the Signature Cloud pool of "Fabrikam" has 9 incidents left
    When "user@fabrikam.com" creates 3 new support requests for "Storage Account" in the Azure portal
    Then the 3 support requests are created on the Signature Cloud Support plan of "Fabrikam"
    And the Signature Cloud pool of "Fabrikam" has 6 incidents left
    And step 2 for "Windows 10" shows the partner support contract with 20 remaining incidents

  @R-AZ-07 @D11
  Scenario: A used-up contract cannot be linked by a new account either
    Given "user@fabrikam.com" has linked the support benefits of "Fabrikam" in the Azure portal
    When "user@fabrikam.com" creates 10 new support requests for "App Service" in the Azure portal
    And "admin@fabrikam.com" links the support benefits of "Fabrikam" in the Azure portal
    Then the request is refused with "NoIncidentsRemaining"
    And the refusal names the reason "exhaustion"

  @R-AZ-09 @D9
  Scenario Outline: <plan> can be bought and comes with new IDs
    When "admin@fabrikam.com" buys "<plan>" in Partner Center
    Then the bought plan has an Access ID and a Contract ID other than those of the benefits of "Fabrikam"
    And "+ New support request" for "admin@fabrikam.com" lists the "<plan>" plan

    Examples:
      | plan                          |
      | Premier Support for Partners  |
      | Advanced Support for Partners |

  @R-AZ-09 @D9
  Scenario: Premier covers on-premises products too, Advanced cloud products only
    Given "engineer@outlook.com" is a personal Microsoft account
    When "admin@fabrikam.com" buys "Premier Support for Partners" in Partner Center
    Then the bought plan has an Access ID and a Contract ID other than those of the benefits of "Fabrikam"
    When "engineer@outlook.com" adds the contract of the bought plan in Support for Business
    Then the contract of the bought plan is added
    When "admin@fabrikam.com" buys "Advanced Support for Partners" in Partner Center
    Then the bought plan has an Access ID and a Contract ID other than those of the benefits of "Fabrikam"
    When "engineer@outlook.com" adds the contract of the bought plan in Support for Business
    Then the request is refused with "PlanNotAvailable"

  @R-AZ-09 @R-SFB-01 @D9 @D7
  Scenario: Premier covers a version older than n-1; the partner contract does not
    Given "admin@fabrikam.com" has added the contract of "Fabrikam" in Support for Business
    When "admin@fabrikam.com" buys "Premier Support for Partners" in Partner Center
    And "admin@fabrikam.com" opens step 2 for "Windows 7"
    Then step 2 offers the bought plan as its one available support plan
    And the partner support contract is only under unavailable support plans, for a product older than n-1
    When "admin@fabrikam.com" creates a support request for "Windows 7" in Support for Business
    Then the support request is created in Support for Business
    And step 2 for "Windows 10" shows the partner support contract with 20 remaining incidents

  @R-AZ-09 @D9 @D11
  Scenario: A Support for Business request on the Advanced plan names the plan's kind
    When "admin@fabrikam.com" buys "Advanced Support for Partners" in Partner Center
    And "admin@fabrikam.com" creates a support request for "Windows 10" on the bought plan in Support for Business
    Then the request is refused with "PlanNotAvailable"
    And the refusal is a client error
    And the refusal mentions "covers cloud products only"
    And "admin@fabrikam.com" has no support request in Support for Business

  @R-AZ-09 @R-PC-05 @D11
  Scenario: Only a Global admin or an MPN partner admin buys a plan
    When "user@fabrikam.com" buys "Premier Support for Partners" in Partner Center
    Then the request is refused with "RoleRequired"
    And the refusal names the reason "role"
