Feature: The Azure portal error "Access ID is already associated..."
  Linking a contract already associated with the account shows the error "This Access ID is already
  associated with an account. Please contact your Technical Account Manager to get a new Access
  ID." The error is spurious and must be ignored.

  Background:
    Given "Contoso" is a Gold partner with the "Cloud Platform" competency
    And "admin@contoso.com" is a Global admin of "Contoso"
    And "user@contoso.com" is a user of "Contoso"
    And the technical benefits of "Contoso" are active

  @R-AZ-05 @R-AZ-06 @D3 @D5
  Scenario: Scenario 1: the contract was added in Support for Business, then linked in Azure
    Given "user@contoso.com" has added the contract of "Contoso" in Support for Business
    When "user@contoso.com" links the support benefits of "Contoso" in the Azure portal
    Then she sees "This Access ID is already associated with an account. Please contact your Technical Account Manager to get a new Access ID."
    And the Azure portal answers 409 "AccessIdAlreadyAssociated"
    And "+ New support request" lists the Signature Cloud Support plan of "Contoso"
    When "user@contoso.com" creates a new support request for "Virtual Machine running Windows" in the Azure portal
    Then the support request is created on the Signature Cloud Support plan of "Contoso"

  @R-AZ-05 @D5
  Scenario: Linking twice in the Azure portal shows the error the second time
    Given "user@contoso.com" has linked the support benefits of "Contoso" in the Azure portal
    When "user@contoso.com" links the support benefits of "Contoso" in the Azure portal
    Then she sees "This Access ID is already associated with an account. Please contact your Technical Account Manager to get a new Access ID."
    And "+ New support request" lists the Signature Cloud Support plan of "Contoso"

  @R-AZ-05
  Scenario: Another account links the same contract without an error
    Given "user@contoso.com" has linked the support benefits of "Contoso" in the Azure portal
    When "admin@contoso.com" links the support benefits of "Contoso" in the Azure portal
    Then the Signature Cloud Support plan is linked

  @R-AZ-05 @R-AZ-06
  Scenario Outline: The spurious error in <language>
    Given "user@contoso.com" uses the portals in <language>
    And "user@contoso.com" has added the contract of "Contoso" in Support for Business
    When "user@contoso.com" links the support benefits of "Contoso" in the Azure portal
    Then she sees "<message>"
    And "+ New support request" lists the Signature Cloud Support plan of "Contoso"

    Examples:
      | language | message                                                                                                                                                                  |
      | English  | This Access ID is already associated with an account. Please contact your Technical Account Manager to get a new Access ID.                                             |
      | Spanish  | Este identificador de acceso ya está asociado a una cuenta. Póngase en contacto con el administrador técnico de cuentas para obtener un nuevo identificador de acceso. |
      | Italian  | Questo ID di accesso è già associato a un account. Contattare il Technical Account Manager per ottenere un nuovo ID di accesso                                          |
