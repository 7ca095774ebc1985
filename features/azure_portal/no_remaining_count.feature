Feature: The Azure portal never shows remaining incidents
  Remaining incidents are shown only in Support for Business; cloud portals never show them.

  @R-SFB-05 @D6 @D3
  Scenario: No Azure answer carries a remaining-incident count
    Given "Fabrikam" is a Gold partner with the "Data Analytics" competency
    And "admin@fabrikam.com" is a Global admin of "Fabrikam"
    And "user@fabrikam.com" is a user of "Fabrikam"
    And the technical benefits of "Fabrikam" are active
    When "user@fabrikam.com" links the support benefits of "Fabrikam" in the Azure portal
    And "user@fabrikam.com" creates a new support request for "App Service" in the Azure portal
    And "user@fabrikam.com" lists the support requests in the Azure portal
    And "user@fabrikam.com" opens the Azure portal's Support plans page
    And "user@fabrikam.com" opens the Azure portal's "+ New support request" page
    And "user@fabrikam.com" links the support benefits of "Fabrikam" in the Azure portal
    Then no answer of the Azure portal in this scenario carries a remaining-incident count
    But step 2 for "Windows 10" shows the partner support contract with 20 remaining incidents
