@ui
Feature: The world dashboard in the browser
  A developer opens the harness's dashboard at /_harness/, makes a world from a seed document,
  moves its clock, follows an account into Partner Center, and reads in the journal what a portal
  answered, the spurious error included. No port, URL or API to know.

  @R-PC-07 @R-PC-06 @D2 @D10 @D13
  Scenario: A world seeded on the dashboard: the clock moves and the IDs appear in Partner Center
    When I create the world on the dashboard from this seed document:
      """
      world: {activation_delay: P3D}
      organisations:
        - id: contoso
          name: Contoso
          membership: gold
          competencies: [{name: Cloud Platform, level: gold}]
          benefits: {requested: 2021-03-04}
      accounts:
        - {upn: admin@contoso.com, organisation: contoso, roles: [global_admin]}
        - {upn: user@contoso.com, organisation: contoso}
      """
    Then the dashboard shows the contract of "Contoso" as pending
    When I sign in as "user@contoso.com" into Partner Center from the dashboard
    Then the browser shows "Activation in progress"
    And the browser shows no Access ID or Contract ID
    When I open the world's dashboard
    And I advance the clock by "P3D" on the dashboard
    Then the dashboard's simulated date is 3 days later, as the world's clock says
    And the dashboard shows the contract of "Contoso" as active
    When I sign in as "user@contoso.com" into Partner Center from the dashboard
    Then the browser shows the Access ID and Contract ID of "Contoso"

  @R-AZ-05 @D5
  Scenario: The journal shows the request and the answer of the spurious error
    Given "Contoso" is a Gold partner with the "Cloud Platform" competency
    And "user@contoso.com" is a user of "Contoso"
    And the technical benefits of "Contoso" are active
    And "user@contoso.com" has added the contract of "Contoso" in Support for Business
    And I know the Access ID and Contract ID of "Contoso"
    When I open Support plans in the Azure portal as "user@contoso.com"
    And I enter the Access ID and Contract ID
    And I press "Link support benefits"
    Then the browser shows the error "This Access ID is already associated with an account. Please contact your Technical Account Manager to get a new Access ID."
    When I open the world's dashboard from the banner
    And I filter the journal by path "/help-support/plans/link"
    Then the journal has one POST "/help-support/plans/link", answered 303 with the refusal "409 AccessIdAlreadyAssociated"
    When I open the journal entry of POST "/help-support/plans/link"
    Then the entry shows the Access ID and Contract ID the form sent
    And the entry shows the answer sending the browser back to "/help-support/plans"
