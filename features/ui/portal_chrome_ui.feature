@ui
Feature: Moving between the portals, and the account menu, in any language
  Every portal's header has a portal switcher that keeps the world, the language and the account,
  so a person never needs a port or a URL. The account menu (top right) offers "Sign in with a
  different account" and "Sign out": each takes a click where it shows, in every language, on a
  desktop and on a phone.

  Background:
    Given "Contoso" is a Gold partner with the "Cloud Platform" competency
    And "admin@contoso.com" is a Global admin of "Contoso"
    And "user@contoso.com" is a user of "Contoso"

  @R-PC-06 @R-SFB-07 @R-SFB-06 @R-AZ-02
  Scenario: In Italian, the switcher keeps the world, the language and the account across the portals
    Given the technical benefits of "Contoso" are active
    When I open the Technical benefits page as "user@contoso.com"
    And I switch the page to Italian
    Then the browser shows an Access ID and a Contract ID
    When I switch to "Supporto per le aziende" in the portal switcher
    Then the browser is on Support for Business at "/supportforbusiness/create"
    And the page is in Italian
    And the browser is signed in as "user@contoso.com"
    And the banner names the scenario's world
    When I describe a problem with "Windows 10"
    And I press "Avanti"
    And I expand "Do you need to purchase or add more support plans"
    And I enter the Access ID and Contract ID
    And I press "Aggiungi contratto"
    Then the browser shows step 2 with the partner support contract and 20 remaining incidents
    When I switch to "Portale di Azure" in the portal switcher
    Then the browser is on the Azure portal at "/help-support/plans"
    And the page is in Italian
    And the browser is signed in as "user@contoso.com"
    And the Azure portal's support plans list the contract

  @R-PC-04
  Scenario: Each item of the account menu takes a click at its centre, in three languages, on a desktop and a phone
    When I open the Technical benefits page as "admin@contoso.com"
    Then in English, Spanish and Italian, on a desktop and a phone, a click at the centre of each item of the account menu reaches that item
    When I switch the page to Spanish
    And I click the centre of "Iniciar sesión con otra cuenta" in the account menu
    Then the browser shows "Elija una cuenta"
    When I pick the account "user@contoso.com"
    Then the browser is signed in as "user@contoso.com"
    And the browser shows "Ventajas técnicas"

  @R-PC-06 @R-AZ-06
  Scenario: On a phone, no main page scrolls sideways, in three languages
    Given the technical benefits of "Contoso" are active
    When "admin@contoso.com" buys "Premier Support for Partners" in Partner Center
    Then as "admin@contoso.com", no main page of the portals or the dashboard scrolls sideways on a phone, in English, Spanish and Italian
