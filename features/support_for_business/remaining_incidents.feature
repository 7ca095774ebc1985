Feature: Remaining incidents and on-premises support requests
  The remaining incidents are shown only in Support for Business: start a request for Windows 10
  with fictitious details and stop at step 2. No request is created and no incident is used.
  Submitting a request on the partner contract uses one on-premises incident.

  Background:
    Given "Contoso" is a Gold partner
    And "admin@contoso.com" is a Global admin of "Contoso"
    And "user@contoso.com" is a user of "Contoso"
    And the technical benefits of "Contoso" are active
    And "user@contoso.com" has added the contract of "Contoso" in Support for Business

  @R-SFB-06 @R-SFB-05 @D1
  Scenario: Reading the remaining incidents at step 2 uses none
    When "user@contoso.com" opens step 2 for "Windows 10"
    Then step 2 shows the partner support contract with 20 remaining incidents
    And step 2 shows the partner support contract starting when "Contoso" activated its benefits and ending 365 days later
    When "user@contoso.com" opens step 2 for "Windows 10"
    Then step 2 shows the partner support contract with 20 remaining incidents
    And "user@contoso.com" has no support request in Support for Business

  @R-SFB-06 @D1 @D10
  Scenario: After three requests step 2 shows 17 of the 20 incidents, and the contract's dates
    When "user@contoso.com" creates 3 support requests for "Windows 10" in Support for Business
    And 45 days pass
    And "user@contoso.com" opens step 2 of a new request for "Windows 10"
    Then the step 2 page shows the partner support contract of "Contoso" with 17 remaining incidents, from the day it was activated to 365 days later
    And step 2 for "Windows 10" shows the partner support contract with 17 remaining incidents
    And step 2 shows the partner support contract starting when "Contoso" activated its benefits and ending 365 days later
    And "user@contoso.com" has 3 support requests in Support for Business

  @R-SFB-04 @D7
  Scenario: An on-premises request is created in Support for Business and uses one incident
    When "user@contoso.com" creates a support request for "Windows Server 2019" in Support for Business
    Then the support request is created in Support for Business
    And step 2 for "Windows 10" shows the partner support contract with 19 remaining incidents

  @R-SFB-01 @R-SFB-04 @D7
  Scenario Outline: On 2021-03-04 the two newest versions of each family are covered: <product>
    When "user@contoso.com" creates a support request for "<product>" in Support for Business
    Then the support request is created in Support for Business
    And step 2 for "Windows 10" shows the partner support contract with 19 remaining incidents

    Examples:
      | product                |
      | Windows 10             |
      | Windows 8.1            |
      | Windows Server 2019    |
      | Windows Server 2016    |
      | SQL Server 2019        |
      | SQL Server 2017        |
      | Exchange Server 2019   |
      | Exchange Server 2016   |
      | SharePoint Server 2019 |
      | SharePoint Server 2016 |

  @R-SFB-04
  Scenario: Cloud products are not Support for Business's, on-premises products are not Azure's
    When "user@contoso.com" creates a support request for "App Service" in Support for Business
    Then the request is refused with "ProductNotFound"
    When "user@contoso.com" creates a new support request for "Windows 10" in the Azure portal
    Then the request is refused with "ProductNotFound"
    And step 2 for "Windows 10" shows the partner support contract with 20 remaining incidents

  @D11
  Scenario: A request without a title is bad input and uses no incident
    When "user@contoso.com" creates a support request for "Windows 10" with an empty title in Support for Business
    Then the request is refused with "InvalidInput"
    And the refusal is a client error
    And step 2 for "Windows 10" shows the partner support contract with 20 remaining incidents
    And "user@contoso.com" has no support request in Support for Business
