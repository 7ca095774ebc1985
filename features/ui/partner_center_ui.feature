@ui
Feature: Partner Center in the browser: Activate, then the Access ID and Contract ID
  A Global admin presses Activate on the Technical benefits page; once activation completes, the
  Access ID and Contract ID appear, and every user of the organisation sees the same ones.

  Background:
    Given "Contoso" is a Gold partner with the "Cloud Platform" competency
    And "admin@contoso.com" is a Global admin of "Contoso"
    And "user@contoso.com" is a user of "Contoso"

  @R-PC-01 @R-PC-05 @R-PC-06 @D2
  Scenario: The Global admin activates and the IDs appear for every user
    Given activation is immediate
    When I open the Technical benefits page as "admin@contoso.com"
    Then the browser shows "Product support incidents"
    And the browser shows "Presales and deployment technical services (TPD)"
    When I press "Activate"
    Then the browser shows "Technical benefits activated"
    And the browser shows an Access ID and a Contract ID
    When I open the Technical benefits page as "user@contoso.com"
    Then the browser shows the same Access ID and Contract ID

  @R-PC-07 @D2 @D10
  Scenario: Activation is in progress for three days, then the IDs appear
    Given activation takes 3 days
    When I open the Technical benefits page as "admin@contoso.com"
    And I press "Activate"
    Then the browser shows "Activation in progress"
    And the browser shows no Access ID or Contract ID
    When 3 days pass
    And I reload the page
    Then the browser shows an Access ID and a Contract ID
