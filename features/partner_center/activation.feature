Feature: Activating the technical benefits
  The benefit must be activated with the Activate button by a Global admin or an MPN partner admin.
  Activation takes time (it-IT: "wait a few days"); then every user of the organisation sees the
  Access ID and the Contract ID.

  Background:
    Given "Contoso" is a Gold partner
    And "admin@contoso.com" is a Global admin of "Contoso"
    And "mpn@contoso.com" is an MPN partner admin of "Contoso"
    And "agent@contoso.com" is an Admin agent of "Contoso"
    And "user@contoso.com" is a user of "Contoso"
    And activation is immediate

  @D2
  Scenario: With no activation delay the IDs are shown at once (es-ES)
    When "mpn@contoso.com" presses Activate
    Then the benefits are active
    And the page shows the Access ID and Contract ID

  @R-PC-05 @D1
  Scenario Outline: <role> may activate
    Then the Activate button is offered to "<account>"
    When "<account>" presses Activate
    Then the benefits are active
    And the page shows the Access ID and Contract ID

    Examples:
      | role              | account           |
      | Global admin      | admin@contoso.com |
      | MPN partner admin | mpn@contoso.com   |

  @R-PC-05 @D11
  Scenario Outline: <role> may not activate
    Then the Activate button is not offered to "<account>"
    When "<account>" presses Activate
    Then the request is refused with "RoleRequired"
    And the refusal names the reason "role"
    And the benefits of "Contoso" are not activated

    Examples:
      | role        | account           |
      | Admin agent | agent@contoso.com |
      | User        | user@contoso.com  |

  @R-PC-06 @D1
  Scenario: After activation every user of the organisation sees the same IDs
    When "admin@contoso.com" presses Activate
    Then "user@contoso.com" sees the Access ID and Contract ID on the Technical benefits page
    And "agent@contoso.com" sees the same Access ID and Contract ID as "admin@contoso.com"
    And the Access ID is a GUID and the Contract ID has ten digits

  @R-PC-07 @D2 @D10
  Scenario: Activation is pending for a few days, then the IDs appear
    Given activation takes 3 days
    When "admin@contoso.com" presses Activate
    Then the activation is in progress
    And the page shows no Access ID or Contract ID
    When 2 days pass
    Then "user@contoso.com" still sees the activation in progress
    When 1 day passes
    Then "user@contoso.com" sees the Access ID and Contract ID on the Technical benefits page

  @D1 @D10
  Scenario: The contract runs from activation to the membership end date
    Given the membership of "Contoso" ends on 2021-12-31
    When 10 days pass
    And "admin@contoso.com" presses Activate
    Then the contract of "Contoso" runs from 2021-03-14 to 2021-12-31

  @R-SFB-06 @D1 @D10
  Scenario: Step 2 shows the contract from the day of activation to 365 days later
    When 10 days pass
    And "admin@contoso.com" presses Activate
    And "user@contoso.com" adds the contract of "Contoso" in Support for Business
    And 100 days pass
    And "user@contoso.com" opens step 2 for "Windows 10"
    Then step 2 shows the partner support contract starting when "Contoso" activated its benefits and ending 365 days later

  @D1
  Scenario: By default the contract runs for 365 days
    When "admin@contoso.com" presses Activate
    Then the contract of "Contoso" runs from 2021-03-04 to 2022-03-04

  @R-PC-05 @R-PC-07 @D11
  Scenario: Pressing Activate again names why nothing happens
    Given activation takes 3 days
    When "admin@contoso.com" presses Activate
    And "mpn@contoso.com" presses Activate
    Then the request is refused with "ActivationPending"
    When 3 days pass
    And "mpn@contoso.com" presses Activate
    Then the request is refused with "AlreadyActivated"
