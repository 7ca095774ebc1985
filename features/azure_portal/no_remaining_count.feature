Feature: The Azure portal never shows remaining incidents
  Remaining incidents are shown only in Support for Business; cloud portals never show them. The
  contract below has a distinctive 13 on-premises and 7 Signature Cloud incidents left, so that a
  count showing anywhere in an Azure page or API answer would be found.

  Background:
    Given "Fabrikam" is a Gold partner with the "Data Analytics" competency
    And "admin@fabrikam.com" is a Global admin of "Fabrikam"
    And "user@fabrikam.com" is a user of "Fabrikam"
    And the technical benefits of "Fabrikam" are active

  @R-SFB-05 @D6 @D3
  Scenario: No Azure page or API answer, in any language, carries a remaining-incident count
    Given "user@fabrikam.com" has added the contract of "Fabrikam" in Support for Business
    When "user@fabrikam.com" creates 7 support requests for "Windows 10" in Support for Business
    And "user@fabrikam.com" creates 2 new support requests for "App Service" in the Azure portal
    And "user@fabrikam.com" creates a support ticket for "Virtual Machine running Linux" through the Azure Support API
    Then step 2 for "Windows 10" shows the partner support contract with 13 remaining incidents
    And the Signature Cloud pool of "Fabrikam" has 7 incidents left
    When "user@fabrikam.com" links the support benefits of "Fabrikam" in the Azure portal
    Then the request is refused with "AccessIdAlreadyAssociated"
    When "user@fabrikam.com" opens every Azure page and API answer, linking the contract of "Fabrikam" again, in all three languages
    Then no Azure answer in this scenario mentions remaining incidents or the counts 13 and 7
    But the same search finds the 13 remaining incidents on step 2 of Support for Business

  @R-SFB-05 @D6
  Scenario: Linked in Azure first, the count is still only in Support for Business
    When "user@fabrikam.com" links the support benefits of "Fabrikam" in the Azure portal
    And "user@fabrikam.com" creates 3 new support requests for "App Service" in the Azure portal
    And "user@fabrikam.com" opens every Azure page and API answer, linking the contract of "Fabrikam" again, in all three languages
    Then no Azure answer in this scenario mentions remaining incidents or the counts 20 and 7
    But step 2 for "Windows 10" shows the partner support contract with 20 remaining incidents
