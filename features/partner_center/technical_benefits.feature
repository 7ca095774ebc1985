Feature: The Technical benefits page in Partner Center
  Partner Center > Benefits > Technical benefits shows what the organisation's membership offer
  entitles it to. Only accounts associated with MPN get there.

  Background:
    Given "Contoso" is a Gold partner
    And "admin@contoso.com" is a Global admin of "Contoso"
    And "agent@contoso.com" is an Admin agent of "Contoso"
    And "user@contoso.com" is a user of "Contoso"

  @R-PC-01 @R-PC-03
  Scenario: The page shows the two independent benefits of the membership offer
    When "user@contoso.com" opens the Technical benefits page
    Then the page shows the benefits "Product support incidents" and "Presales and deployment technical services (TPD)"
    And the page lists the support benefits of the Gold offer

  @R-PC-01
  Scenario: The TPD card has its own line and a link for more information
    When "user@contoso.com" opens the Technical benefits page
    Then the TPD card reads "Presales and deployment technical services (TPD): more information"
    And its "more information" link opens "https://learn.microsoft.com/partner-center/technical-benefits" in a new tab

  @R-PC-01
  Scenario: The TPD card does not depend on activating the support benefits
    Given the technical benefits of "Contoso" are active
    When "user@contoso.com" opens the Technical benefits page
    Then the page shows the Access ID and Contract ID
    And the TPD card reads "Presales and deployment technical services (TPD): more information"
    And its "more information" link opens "https://learn.microsoft.com/partner-center/technical-benefits" in a new tab

  @R-PC-03
  Scenario Outline: The page lists the benefits of a <offer> membership
    Given "Northwind" is a <offer> partner
    And "admin@northwind.com" is a Global admin of "Northwind"
    When "admin@northwind.com" opens the Technical benefits page
    Then the page lists the support benefits of the <offer> offer

    Examples:
      | offer       |
      | Gold        |
      | Silver      |
      | Action Pack |

  @R-PC-08
  Scenario: The page names the roles it is written for
    When "agent@contoso.com" opens the Technical benefits page
    Then the page names the appropriate roles "Global admin, MPN partner admin, Admin agent"
    And the Activate button is not offered

  @R-PC-02
  Scenario: An account associated with CSP only is not authorized
    Given "Adatum" is a CSP-only partner
    And "agent@adatum.com" is an Admin agent of "Adatum"
    When "agent@adatum.com" opens the Technical benefits page
    Then she sees "You are not authorized for this action"
    And the refusal names the reason "membership"
    And the page goes on: "You must have an MPN-associated account."

  @R-PC-04
  Scenario: No active membership offer, then signing in with the right account
    Given "Contoso Labs" is an MPN partner with no membership offer
    And "admin@contosolabs.com" is a Global admin of "Contoso Labs"
    When "admin@contosolabs.com" opens the Technical benefits page
    Then she sees "It looks like you don't have any benefits yet"
    And the page goes on: "If your company has active membership offers but you cannot see them, you may have signed in with the wrong account."
    And the page offers "Sign in with a different account"
    When she follows "Sign in with a different account" in the account menu
    And she picks the account "admin@contoso.com" on the sign-in page
    Then the page shows "admin@contoso.com" the Technical benefits of the Gold offer

  @R-PC-04
  Scenario: A membership that has ended leaves no benefits
    Given the membership of "Contoso" ends on 2021-06-01
    When 90 days pass
    And "user@contoso.com" opens the Technical benefits page
    Then she sees "It looks like you don't have any benefits yet"

  @D8
  Scenario Outline: Partner Center needs a work account of a partner organisation
    Given "<account>" is <kind>
    When "<account>" opens the Technical benefits page
    Then the request is refused with "PartnerAccountRequired"
    And the refusal names the reason "account"

    Examples:
      | account                     | kind                                    |
      | engineer@outlook.com        | a personal Microsoft account            |
      | consultant@external.example | a work account outside the organisation |
