Feature: Unavailable support plans
  "Would you like to see unavailable support plans?" shows the partner contract, and it appears
  there only, when the contract has expired, has no incidents left, or an older (n-1) product was
  selected. Microsoft product support covers recent on-premises products only.

  Background:
    Given "Contoso" is a Gold partner
    And "admin@contoso.com" is a Global admin of "Contoso"
    And "user@contoso.com" is a user of "Contoso"
    And the technical benefits of "Contoso" are active
    And "user@contoso.com" has added the contract of "Contoso" in Support for Business

  @R-SFB-08
  Scenario: A valid contract and a recent product: nothing is unavailable
    When "user@contoso.com" opens step 2 for "Windows 10"
    Then step 2 shows 1 available support plan
    And step 2 shows no unavailable support plan

  @R-SFB-01 @R-SFB-08 @D7
  Scenario Outline: An older (n-1) product: <product>
    When "user@contoso.com" opens step 2 for "<product>"
    Then step 2 shows no available support plan
    And the partner support contract is only under unavailable support plans, for an older (n-1) product
    When "user@contoso.com" creates a support request for "<product>" in Support for Business
    Then the request is refused with "ProductNotCovered"
    And the refusal names the reason "eligibility"
    And step 2 for "Windows 10" shows the partner support contract with 20 remaining incidents

    Examples:
      | product                |
      | Windows 7              |
      | Windows 8.1            |
      | Windows Server 2008 R2 |
      | Windows Server 2012    |
      | SQL Server 2012        |
      | Exchange Server 2010   |

  @R-SFB-08 @R-SFB-02 @D3 @D10
  Scenario: An expired contract stays associated, under unavailable plans
    When 366 days pass
    And "user@contoso.com" opens step 2 for "Windows 10"
    Then step 2 shows no available support plan
    And the partner support contract is only under unavailable support plans, as expired
    When "user@contoso.com" creates a support request for "Windows 10" in Support for Business
    Then the request is refused with "ContractExpired"
    And the refusal names the reason "expiry"
