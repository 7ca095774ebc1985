@ui
Feature: The pages in Spanish and Italian
  The browser's language (Accept-Language) or the banner's language links choose es-ES or it-IT;
  the rulebook's messages appear verbatim.

  Background:
    Given "Contoso" is a Gold partner with the "Cloud Platform" competency
    And "admin@contoso.com" is a Global admin of "Contoso"
    And "user@contoso.com" is a user of "Contoso"

  @R-PC-04
  Scenario: In Spanish, no benefits yet, then the right account shows them
    Given the browser speaks Spanish
    And "Litware" is an MPN partner with no membership offer
    And "admin@litware.com" is a Global admin of "Litware"
    When I open the Technical benefits page as "admin@litware.com"
    Then the page is in Spanish
    And the browser shows the error "Parece que aún no tiene ninguna beneficios"
    When I click "Iniciar sesión con otra cuenta"
    And I pick the account "admin@contoso.com"
    Then the browser shows "Ventajas técnicas"
    And the browser shows "Activar"

  @R-AZ-05 @R-AZ-06
  Scenario: In Spanish, the spurious error and "+ New Support Request"
    Given the browser speaks Spanish
    And the technical benefits of "Contoso" are active
    And "user@contoso.com" has added the contract of "Contoso" in Support for Business
    And I know the Access ID and Contract ID of "Contoso"
    When I open Support plans in the Azure portal as "user@contoso.com"
    And I enter the Access ID and Contract ID
    And I press "Vincular ventajas de soporte técnico"
    Then the browser shows the error "Este identificador de acceso ya está asociado a una cuenta. Póngase en contacto con el administrador técnico de cuentas para obtener un nuevo identificador de acceso."
    When I click "+ New Support Request"
    Then the support plan list offers the plan of the contract

  @R-PC-07 @D2
  Scenario: In Italian, chosen in the banner: activation in progress
    Given activation takes 3 days
    When I open the Technical benefits page as "admin@contoso.com"
    And I switch the page to Italian
    Then the page is in Italian
    And the browser shows "Vantaggi tecnici"
    When I press "Attiva"
    Then the browser shows "Attivazione in corso"
    And the browser shows no Access ID or Contract ID

  @R-AZ-05
  Scenario: In Italian, the spurious error
    Given the technical benefits of "Contoso" are active
    And "user@contoso.com" has linked the support benefits of "Contoso" in the Azure portal
    And I know the Access ID and Contract ID of "Contoso"
    When I open Support plans in the Azure portal as "user@contoso.com"
    And I switch the page to Italian
    And I enter the Access ID and Contract ID
    And I press "Collega vantaggi di supporto"
    Then the browser shows the error "Questo ID di accesso è già associato a un account. Contattare il Technical Account Manager per ottenere un nuovo ID di accesso"
