Feature: Adding the partner support contract in Support for Business
  Any user account, work (AAD) or personal (MSA), inside or outside the partner organisation, may
  use on-premises support with the Access ID and the Contract ID. They are needed the first time
  only: the contract then stays associated with the account.

  Background:
    Given "Contoso" is a Gold partner
    And "admin@contoso.com" is a Global admin of "Contoso"
    And "user@contoso.com" is a user of "Contoso"
    And the technical benefits of "Contoso" are active

  @R-SFB-07
  Scenario: Step 2 offers "Add contract" and the unavailable support plans
    When "user@contoso.com" opens step 2 of a new request for "Windows 10"
    Then the page offers "Do you need to purchase or add more support plans"
    And the page offers "Add contract"
    And the page offers "Would you like to see unavailable support plans?"

  @R-SFB-07 @R-SFB-03
  Scenario Outline: <who> adds the contract
    Given "<account>" is <kind>
    When "<account>" adds the contract of "Contoso" in Support for Business
    Then the contract is added
    And step 2 for "Windows 10" shows the partner support contract with 20 remaining incidents

    Examples:
      | who                                      | account                     | kind                                    |
      | a user of the organisation               | colleague@contoso.com       | a user of "Contoso"                     |
      | a work account outside the organisation  | consultant@external.example | a work account outside the organisation |
      | a personal Microsoft account             | engineer@outlook.com        | a personal Microsoft account            |

  @R-SFB-03 @R-SFB-04
  Scenario: A personal Microsoft account outside the organisation creates an on-premises request
    Given "engineer@outlook.com" is a personal Microsoft account
    And "engineer@outlook.com" has added the contract of "Contoso" in Support for Business
    When "engineer@outlook.com" creates a support request for "Exchange Server 2019" in Support for Business
    Then the support request is created in Support for Business
    And step 2 for "Windows 10" shows the partner support contract with 19 remaining incidents

  @R-SFB-02 @D3 @D10
  Scenario: The IDs are needed the first time only
    Given "user@contoso.com" has added the contract of "Contoso" in Support for Business
    When 30 days pass
    And "user@contoso.com" creates a support request for "Windows Server 2019" in Support for Business
    Then the support request is created in Support for Business
    And step 2 for "Windows 10" shows the partner support contract with 19 remaining incidents

  @D4 @D3
  Scenario: Adding the same contract again is quiet
    Given "user@contoso.com" has added the contract of "Contoso" in Support for Business
    When "user@contoso.com" adds the contract of "Contoso" in Support for Business
    Then the contract is added
    And "user@contoso.com" has 1 association with the contract of "Contoso"
    When "user@contoso.com" adds the contract of "Contoso" in Support for Business
    Then the contract is added
    And "user@contoso.com" has 1 association with the contract of "Contoso"
    And step 2 for "Windows 10" shows the partner support contract with 20 remaining incidents
    And step 2 for "Windows 10" shows 1 available support plan

  @D3 @D11
  Scenario Outline: <wrong> with the right other ID names no contract and associates nothing
    Given "Northwind" is a Gold partner
    And "admin@northwind.com" is a Global admin of "Northwind"
    And the technical benefits of "Northwind" are active
    When "user@contoso.com" adds the Access ID <access id> with the Contract ID <contract id> in Support for Business
    Then the request is refused with "ContractNotFound"
    And the refusal names the reason "unknown IDs"
    And she sees "No support contract has this Access ID and Contract ID; check both on the Technical benefits page in Partner Center"
    And "user@contoso.com" has no contract associated
    And step 2 for "Windows 10" shows no support plan

    Examples:
      | wrong                           | access id                                | contract id       |
      | A wrong Contract ID             | of "Contoso"                             | "0000000000"      |
      | Another contract's Contract ID  | of "Contoso"                             | of "Northwind"    |
      | A wrong Access ID               | "00000000-0000-4000-8000-000000000000"   | of "Contoso"      |
      | Another contract's Access ID    | of "Northwind"                           | of "Contoso"      |

  @D3
  Scenario: One account's association is not another's
    Given "user@contoso.com" has added the contract of "Contoso" in Support for Business
    Then step 2 for "Windows 10" shows the partner support contract with 20 remaining incidents
    When "admin@contoso.com" opens step 2 for "Windows 10"
    Then step 2 shows no support plan

  @R-SFB-02 @D11
  Scenario: An expired contract cannot be added by a new account
    Given "engineer@outlook.com" is a personal Microsoft account
    When 366 days pass
    And "engineer@outlook.com" adds the contract of "Contoso" in Support for Business
    Then the request is refused with "ContractExpired"
    And the refusal names the reason "expiry"
