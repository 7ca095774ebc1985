Feature: Activation takes three days unless the world says otherwise
  The activation delay is a world setting, 3 days by default (it-IT: "wait a few days"); until it
  has passed, "Activation in progress" is shown and no IDs. Nothing in this feature sets the delay.

  Background:
    Given "Contoso" is a Gold partner
    And "admin@contoso.com" is a Global admin of "Contoso"
    And "user@contoso.com" is a user of "Contoso"
    And the activation delay of the world is left as it is

  @D2 @R-PC-07 @D10
  Scenario: By default the IDs are not shown 2 days and 23 hours after Activate, and are after 3 days
    When "admin@contoso.com" presses Activate
    Then the activation is in progress
    And the page shows no Access ID or Contract ID
    When 2 days and 23 hours pass
    Then "user@contoso.com" still sees the activation in progress
    When 1 hour passes
    Then "user@contoso.com" sees the Access ID and Contract ID on the Technical benefits page

  @D2 @R-EN-04 @D10
  Scenario: By default the contract cannot be added before the third day
    When "admin@contoso.com" presses Activate
    And 2 days pass
    And "user@contoso.com" adds the pending contract of "Contoso" in Support for Business
    Then the request is refused with "ActivationPending"
    When 1 day passes
    And "user@contoso.com" adds the contract of "Contoso" in Support for Business
    Then the contract is added
