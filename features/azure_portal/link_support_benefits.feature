Feature: Linking the support benefits in the Azure portal
  Gold and Silver partners use Signature Cloud Support for cloud products: Help + support >
  Support plans > "Link support benefits" takes the Access ID and the Contract ID. Action Pack
  includes no Signature Cloud Support.

  Background:
    Given "Contoso" is a Gold partner with the "Cloud Platform" competency
    And "admin@contoso.com" is a Global admin of "Contoso"
    And "user@contoso.com" is a user of "Contoso"
    And the technical benefits of "Contoso" are active

  @R-AZ-02 @R-AZ-01 @D6
  Scenario: Linking for the first time, then creating a cloud support request
    When "user@contoso.com" links the support benefits of "Contoso" in the Azure portal
    Then the Signature Cloud Support plan is linked
    And "+ New support request" lists the Signature Cloud Support plan of "Contoso"
    When "user@contoso.com" creates a new support request for "App Service" in the Azure portal
    Then the support request is created on the Signature Cloud Support plan of "Contoso"

  @R-AZ-01
  Scenario Outline: A <offer> partner may use Signature Cloud Support
    Given "Northwind" is a <offer> partner
    And "admin@northwind.com" is a Global admin of "Northwind"
    And the technical benefits of "Northwind" are active
    And "consultant@external.example" is a work account outside the organisation
    When "consultant@external.example" links the support benefits of "Northwind" in the Azure portal
    Then the Signature Cloud Support plan is linked
    When "consultant@external.example" creates a new support request for "Azure SQL Database" in the Azure portal
    Then the support request is created on the Signature Cloud Support plan of "Northwind"

    Examples:
      | offer  |
      | Gold   |
      | Silver |

  @R-AZ-02 @D3 @D11
  Scenario Outline: <wrong> with the right other ID is a clear "no such contract" error
    Given "Northwind" is a Gold partner with the "Security" competency
    And "admin@northwind.com" is a Global admin of "Northwind"
    And the technical benefits of "Northwind" are active
    When "user@contoso.com" links the Access ID <access id> with the Contract ID <contract id> in the Azure portal
    Then the request is refused with "ContractNotFound"
    And the refusal names the reason "unknown IDs"
    And she sees "No support contract has this Access ID and Contract ID; check both on the Technical benefits page in Partner Center"
    And "user@contoso.com" has no contract associated
    And "+ New support request" lists no support plan

    Examples:
      | wrong                           | access id                                | contract id       |
      | A wrong Contract ID             | of "Contoso"                             | "0000000000"      |
      | Another contract's Contract ID  | of "Contoso"                             | of "Northwind"    |
      | A wrong Access ID               | "00000000-0000-4000-8000-000000000000"   | of "Contoso"      |
      | Another contract's Access ID    | of "Northwind"                           | of "Contoso"      |

  @R-AZ-03 @D5
  Scenario: Action Pack includes no Signature Cloud Support
    Given "Tailspin" is an Action Pack partner with the "Cloud Platform" competency
    And "admin@tailspin.com" is a Global admin of "Tailspin"
    And the technical benefits of "Tailspin" are active
    When "admin@tailspin.com" links the support benefits of "Tailspin" in the Azure portal
    Then the request is refused with "NotEligibleForCloudSupport"
    And the refusal mentions "Support for Business"
    And "+ New support request" lists no support plan
    When "admin@tailspin.com" creates a new support request for "App Service" in the Azure portal
    Then the request is refused with "NoSupportPlan"
    When "admin@tailspin.com" adds the contract of "Tailspin" in Support for Business
    And "admin@tailspin.com" creates a support request for "Windows 10" in Support for Business
    Then the support request is created in Support for Business

  @R-AZ-03 @D5
  Scenario: The Action Pack check comes before the "already associated" check
    Given "Tailspin" is an Action Pack partner
    And "admin@tailspin.com" is a Global admin of "Tailspin"
    And the technical benefits of "Tailspin" are active
    And "admin@tailspin.com" has added the contract of "Tailspin" in Support for Business
    When "admin@tailspin.com" links the support benefits of "Tailspin" in the Azure portal
    Then the request is refused with "NotEligibleForCloudSupport"

  @R-AZ-04 @D6
  Scenario: A CSP partner uses the "Cloud Solution Provider" plan without adding a contract
    Given "Adatum" is a CSP-only partner
    And "engineer@adatum.com" is a user of "Adatum"
    Then "+ New support request" for "engineer@adatum.com" lists the "Cloud Solution Provider" plan
    When "engineer@adatum.com" creates a new support request for "Virtual Machine running Linux" in the Azure portal
    Then the support request is created on the "Cloud Solution Provider" plan

  @R-AZ-04 @D6
  Scenario: A partner in MPN and CSP sees its Signature plan and the CSP plan
    Given "Contoso" is also a CSP partner with the customer "Woodgrove Bank"
    And "engineer@outlook.com" is a personal Microsoft account
    And "user@contoso.com" has linked the support benefits of "Contoso" in the Azure portal
    And "engineer@outlook.com" has linked the support benefits of "Contoso" in the Azure portal
    Then "+ New support request" for "user@contoso.com" lists the Signature Cloud Support plan of "Contoso"
    And "+ New support request" for "user@contoso.com" lists the "Cloud Solution Provider" plan
    And "+ New support request" for "admin@contoso.com" lists the "Cloud Solution Provider" plan
    But "+ New support request" for "engineer@outlook.com" does not list the "Cloud Solution Provider" plan

  @R-AZ-04 @D6
  Scenario: Users of a partner outside CSP never see the "Cloud Solution Provider" plan
    Given "user@contoso.com" has linked the support benefits of "Contoso" in the Azure portal
    Then "+ New support request" for "user@contoso.com" lists the Signature Cloud Support plan of "Contoso"
    But "+ New support request" for "user@contoso.com" does not list the "Cloud Solution Provider" plan
    And "+ New support request" for "admin@contoso.com" does not list the "Cloud Solution Provider" plan
    When "user@contoso.com" creates a new support request for "App Service" on the "csp" plan in the Azure portal
    Then the request is refused with "PlanNotFound"

  @D6
  Scenario: With a cloud competency Signature Cloud Support stays unlimited, request after request
    Given "user@contoso.com" has linked the support benefits of "Contoso" in the Azure portal
    Then the Signature Cloud pool of "Contoso" is still unlimited, with no incident used
    When "user@contoso.com" creates 25 new support requests for "App Service" in the Azure portal
    Then the 25 support requests are created on the Signature Cloud Support plan of "Contoso"
    And the Signature Cloud pool of "Contoso" is still unlimited, with no incident used
    And "+ New support request" for "user@contoso.com" lists the Signature Cloud Support plan of "Contoso"
    And step 2 for "Windows 10" shows the partner support contract with 20 remaining incidents
