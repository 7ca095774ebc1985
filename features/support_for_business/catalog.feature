Feature: The on-premises catalog moves with the clock (n-1 policy)
  Support for Business offers the released versions of each product family. Under the n-1 policy the
  newest released version of a family and the one before it are covered; older versions are listed
  as "older than n-1, not covered" and put the partner contract under the unavailable support plans.
  A version is offered from the start date of its Microsoft lifecycle page: a world whose clock
  passes that date offers it, and the version two releases back drops out of cover.

  Background:
    Given "Contoso" is a Gold partner with the "Cloud Platform" competency
    And "admin@contoso.com" is a Global admin of "Contoso"
    And "user@contoso.com" is a user of "Contoso"
    And the technical benefits of "Contoso" are active
    And "user@contoso.com" has added the contract of "Contoso" in Support for Business

  @R-SFB-01 @D7
  Scenario: On the seeds' date Windows 10 and Windows 8.1 are the covered Windows versions
    Then the covered versions of the "Windows client" family are "Windows 10, Windows 8.1"
    And the covered versions of the "Windows Server" family are "Windows Server 2019, Windows Server 2016"
    And the covered versions of the "SQL Server" family are "SQL Server 2019, SQL Server 2017"
    And Support for Business offers "Windows 7" as older than n-1, not covered
    And Support for Business does not offer "Windows 11"
    And Support for Business does not offer "Windows Server 2022"
    And Support for Business does not offer "SQL Server 2022"

  @R-SFB-01 @R-SFB-08 @D7 @D10
  Scenario: After the clock passes 2021-10-04 Windows 11 is offered and covered, Windows 8.1 is not
    When "user@contoso.com" opens step 2 for "Windows 8.1"
    Then step 2 shows the partner support contract with 20 remaining incidents
    When the simulated date becomes 2021-10-04
    Then Support for Business offers "Windows 11" as covered
    And Support for Business offers "Windows 8.1" as older than n-1, not covered
    And the covered versions of the "Windows client" family are "Windows 11, Windows 10"
    When "user@contoso.com" opens step 2 for "Windows 11"
    Then step 2 shows the partner support contract with 20 remaining incidents
    When "user@contoso.com" opens step 2 for "Windows 8.1"
    Then step 2 shows no available support plan
    And the partner support contract is only under unavailable support plans, for a product older than n-1
    And the Signature information shows the Gold offer with unlimited Signature Cloud Support
    When "user@contoso.com" creates a support request for "Windows 11" in Support for Business
    Then the support request is created in Support for Business
    And step 2 for "Windows 10" shows the partner support contract with 19 remaining incidents

  @R-SFB-01 @D7 @D11
  Scenario: A version not yet released cannot be chosen
    When "user@contoso.com" creates a support request for "SQL Server 2022" in Support for Business
    Then the request is refused with "ProductNotReleased"
    And the refusal is a client error
    And the refusal mentions "2022-11-16"
    And step 2 for "Windows 10" shows the partner support contract with 20 remaining incidents

  @R-SFB-01 @D7 @D10
  Scenario Outline: A release on <day> covers <new> and drops <dropped> out of cover
    Given the simulated date is <eve>
    Then Support for Business does not offer "<new>"
    And Support for Business offers "<dropped>" as covered
    When the simulated date becomes <day>
    Then Support for Business offers "<new>" as covered
    And Support for Business offers "<dropped>" as older than n-1, not covered

    Examples:
      | eve        | day        | new                                    | dropped                |
      | 2021-08-17 | 2021-08-18 | Windows Server 2022                    | Windows Server 2016    |
      | 2021-10-03 | 2021-10-04 | Windows 11                             | Windows 8.1            |
      | 2021-11-01 | 2021-11-02 | SharePoint Server Subscription Edition | SharePoint Server 2016 |
      | 2022-11-15 | 2022-11-16 | SQL Server 2022                        | SQL Server 2017        |
      | 2025-11-17 | 2025-11-18 | SQL Server 2025                        | SQL Server 2019        |

  @R-SFB-01 @D7
  Scenario: A world set in 2007 offers the versions released by then
    Given the simulated date is 2007-06-01
    Then the covered versions of the "Windows client" family are "Windows Vista, Windows XP"
    And the covered versions of the "Windows Server" family are "Windows Server 2003"
    And the covered versions of the "SQL Server" family are "SQL Server 2005"
    And the covered versions of the "Exchange Server" family are "Exchange Server 2007"
    And the covered versions of the "SharePoint Server" family are "Office SharePoint Server 2007"
    And Support for Business does not offer "Windows 7"
    And Support for Business does not offer "SQL Server 2008"
