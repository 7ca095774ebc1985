Feature: The diagnostic message instead of the spurious error
  Microsoft asked for the error to be replaced by a useful diagnostic message. The emulator offers
  both behaviours: "spurious" (the default) and "diagnostic".

  Background:
    Given "Fabrikam" is a Gold partner with the "Data Analytics" competency
    And "admin@fabrikam.com" is a Global admin of "Fabrikam"
    And "user@fabrikam.com" is a user of "Fabrikam"
    And the technical benefits of "Fabrikam" are active
    And "user@fabrikam.com" has added the contract of "Fabrikam" in Support for Business
    And the Azure portal is in diagnostic mode

  @R-AZ-08 @D5
  Scenario: A valid contract: already linked, create a new support request
    When "user@fabrikam.com" links the support benefits of "Fabrikam" in the Azure portal
    Then the Azure portal answers 409 "AlreadyLinked"
    And she sees "This contract is already linked to your account: there is nothing to link, create a new support request with + New support request"
    And "+ New support request" lists the Signature Cloud Support plan of "Fabrikam"

  @R-AZ-08 @D5 @D10
  Scenario: An expired contract: purchase a new plan
    When 366 days pass
    And "user@fabrikam.com" links the support benefits of "Fabrikam" in the Azure portal
    Then the Azure portal answers 409 "PurchaseNewPlan"
    And she sees "This contract is already linked to your account but has expired or has no incidents left: purchase a new support plan to get Azure incidents"

  @R-AZ-08 @D5
  Scenario: A used-up 10-pack: purchase a new plan
    When "user@fabrikam.com" creates 10 new support requests for "App Service" in the Azure portal
    And "user@fabrikam.com" links the support benefits of "Fabrikam" in the Azure portal
    Then the Azure portal answers 409 "PurchaseNewPlan"

  @R-AZ-08 @D5
  Scenario: Back to the spurious mode
    Given the Azure portal is in spurious mode
    When "user@fabrikam.com" links the support benefits of "Fabrikam" in the Azure portal
    Then the Azure portal answers 409 "AccessIdAlreadyAssociated"
