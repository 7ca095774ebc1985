Feature: Unavailable support plans
  "Would you like to see unavailable support plans?" shows the partner contract, and it appears
  there only, when the contract has expired, has no incidents left, or a product older than n-1 was
  selected. It shows the partner's Signature information there too. Microsoft product support covers
  recent on-premises products only: under the n-1 policy, the current and the previous version of a
  product.

  Background:
    Given "Contoso" is a Gold partner
    And "admin@contoso.com" is a Global admin of "Contoso"
    And "user@contoso.com" is a user of "Contoso"
    And the technical benefits of "Contoso" are active
    And "user@contoso.com" has added the contract of "Contoso" in Support for Business

  @R-SFB-08
  Scenario: A valid contract and a covered product: nothing is unavailable
    When "user@contoso.com" opens step 2 for "Windows 10"
    Then step 2 shows 1 available support plan
    And step 2 shows no unavailable support plan

  @R-SFB-01 @R-SFB-08 @D7
  Scenario Outline: A product older than n-1: <product>
    When "user@contoso.com" opens step 2 for "<product>"
    Then step 2 shows no available support plan
    And the partner support contract is only under unavailable support plans, for a product older than n-1
    And the Signature information shows the Gold offer with a Signature 10-pack with 10 incidents left
    When "user@contoso.com" creates a support request for "<product>" in Support for Business
    Then the request is refused with "ProductNotCovered"
    And the refusal names the reason "eligibility"
    And step 2 for "Windows 10" shows the partner support contract with 20 remaining incidents

    Examples:
      | product                |
      | Windows 8              |
      | Windows 7              |
      | Windows Server 2012 R2 |
      | Windows Server 2008 R2 |
      | SQL Server 2016        |
      | SQL Server 2012        |
      | Exchange Server 2013   |
      | SharePoint Server 2013 |

  @R-SFB-08 @R-SFB-02 @D3 @D10
  Scenario: An expired contract stays associated, under unavailable plans
    When 366 days pass
    And "user@contoso.com" opens step 2 for "Windows 10"
    Then step 2 shows no available support plan
    And the partner support contract is only under unavailable support plans, as expired
    And the Signature information shows the Gold offer with a Signature 10-pack, the contract expired on 2022-03-04
    When "user@contoso.com" creates a support request for "Windows 10" in Support for Business
    Then the request is refused with "ContractExpired"
    And the refusal names the reason "expiry"
