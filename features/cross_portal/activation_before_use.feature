Feature: Benefits must be activated before they can be used in any portal
  Activation takes a few days (it-IT). Until it completes, no portal accepts the contract.

  Background:
    Given "Contoso" is a Gold partner with the "Cloud Platform" competency
    And "admin@contoso.com" is a Global admin of "Contoso"
    And "user@contoso.com" is a user of "Contoso"
    And "engineer@outlook.com" is a personal Microsoft account
    And activation takes 3 days

  @R-EN-04 @R-PC-07 @D2 @D10
  Scenario: A pending contract is refused in every portal until activation completes
    When "admin@contoso.com" presses Activate
    And "engineer@outlook.com" adds the pending contract of "Contoso" in Support for Business
    Then the request is refused with "ActivationPending"
    When "user@contoso.com" links the pending contract of "Contoso" in the Azure portal
    Then the request is refused with "ActivationPending"
    When 3 days pass
    And "engineer@outlook.com" adds the contract of "Contoso" in Support for Business
    Then the contract is added
    When "user@contoso.com" links the support benefits of "Contoso" in the Azure portal
    Then the Signature Cloud Support plan is linked

  @R-EN-04
  Scenario: Without activation there is no contract at all
    Then "user@contoso.com" sees no Access ID or Contract ID on the Technical benefits page
    And step 2 for "Windows 10" shows no support plan
    And "+ New support request" for "user@contoso.com" lists no support plan
