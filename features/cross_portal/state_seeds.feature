Feature: A world in any state, from a seed document
  A seed document can describe a world in any state the portals can reach: used incidents per pool,
  associations (which account, added where), links made in Azure, support requests already filed,
  bought plans, activation pending or done at a given date. Building a world from such a document
  gives the same state as reaching it through the portals (D13), so a scenario starts where the
  story starts instead of replaying it.

  @D13 @R-AZ-07 @R-AZ-05 @R-SFB-06 @D3
  Scenario: The Signature 5-pack of a Silver partner is used up
    Given the world is described by this seed document:
      """yaml
      world: {start: 2021-03-10}
      organisations:
        - id: contoso
          name: Contoso
          membership: silver
          competencies: [{name: Data Analytics, level: silver}]
          benefits: {activated: 2021-03-05, used: {cloud: 5}}
      accounts:
        - {upn: admin@contoso.com, organisation: contoso, roles: [global_admin]}
        - upn: user@contoso.com
          organisation: contoso
          contracts: [{contract: contoso, added_in: azure, at: 2021-03-06}]
      requests:
        - {account: user@contoso.com, portal: support_for_business, product: windows-10, at: 2021-03-07}
        - {account: user@contoso.com, portal: support_for_business, product: windows-10, at: 2021-03-08}
      """
    Then "+ New support request" for "user@contoso.com" lists no support plan
    When "user@contoso.com" links the support benefits of "Contoso" in the Azure portal
    Then she sees "This Access ID is already associated with an account. Please contact your Technical Account Manager to get a new Access ID."
    When "user@contoso.com" opens step 2 for "Windows 10"
    Then step 2 shows the partner support contract with 13 remaining incidents
    And "user@contoso.com" has 2 support requests in Support for Business

  @D13 @R-AZ-09 @D9 @R-SFB-03
  Scenario: A bought plan, added in Support for Business by an outside account, with a request on it
    Given "Fabrikam" is a Gold partner with the "Data Analytics" competency
    And "admin@fabrikam.com" is a Global admin of "Fabrikam"
    And the world is described by this seed document:
      """yaml
      world: {start: 2021-03-10}
      accounts:
        - upn: engineer@outlook.com
          kind: msa
          contracts: [{contract: premier-1, added_in: support_for_business, at: 2021-03-09}]
      plans:
        - {id: premier-1, offer: premier, bought_by: admin@fabrikam.com, at: 2021-03-08}
      requests:
        - {account: admin@fabrikam.com, portal: azure, product: app-service, plan: premier-1, at: 2021-03-08T12:00Z}
      """
    Then "+ New support request" for "admin@fabrikam.com" lists the "Premier Support for Partners" plan
    And the benefits of "Fabrikam" are not activated
    When "engineer@outlook.com" creates a support request for "Windows 10" in Support for Business
    Then the support request is created in Support for Business
    And "engineer@outlook.com" has 1 support requests in Support for Business

  @D13 @D2 @R-PC-07
  Scenario: The people come from the Givens, the state from the document
    Given "Contoso" is a Gold partner with the "Data Analytics" competency
    And "admin@contoso.com" is a Global admin of "Contoso"
    And activation takes 3 days
    And the world is described by this seed document:
      """yaml
      world: {start: 2021-03-04T09:00:00Z}
      organisations:
        - {id: contoso, benefits: {requested: 2021-03-02T06:00:00Z}}
      """
    When "admin@contoso.com" opens the Technical benefits page
    Then the activation is in progress
    When 1 day passes
    Then "admin@contoso.com" sees the Access ID and Contract ID on the Technical benefits page

  @D13 @D11 @R-EN-02
  Scenario Outline: A document the portals cannot reach is refused whole: <case>
    Given the world is described by this seed document:
      """yaml
      world: {start: 2021-03-10}
      organisations:
        - {id: northwind, membership: silver, competencies: [{name: Application Development, level: silver}]}
        - {id: tailspin, membership: action_pack, benefits: {activated: 2021-03-01}}
      accounts:
        - {upn: admin@northwind.com, organisation: northwind, roles: [global_admin]}
        - {upn: user@northwind.com, organisation: northwind}
      """
    And the world is described by this seed document:
      """
      <state>
      """
    Then the world cannot be built: "<why>"

    Examples:
      | case                            | state                                                                                                                      | why                                                                                               |
      | 6 incidents used of a 5-pack    | {"organisations": [{"id": "northwind", "benefits": {"activated": "2021-03-01", "used": {"cloud": 6}}}]}                      | organisations[0].benefits.used.cloud: 6 is more than the Signature Cloud pool's 5 incidents     |
      | an unknown contract             | {"accounts": [{"upn": "user@northwind.com", "contracts": [{"contract": "contoso", "added_in": "azure"}]}]}                     | accounts[1].contracts[0].contract: no contract 'contoso'                                          |
      | Action Pack linked in Azure     | {"accounts": [{"upn": "user@northwind.com", "contracts": [{"contract": "tailspin", "added_in": "azure"}]}]}                    | accounts[1].contracts[0]: This contract includes no Signature Cloud Support (Action Pack)        |
      | a request with no plan          | {"requests": [{"account": "user@northwind.com", "portal": "azure", "product": "app-service"}]}                                | requests[0]: No support plan of this account covers this request                                  |
      | a request on a plan not its own | {"plans": [{"id": "p1", "offer": "advanced", "bought_by": "admin@northwind.com"}], "requests": [{"account": "user@northwind.com", "portal": "azure", "product": "app-service", "plan": "p1"}]} | requests[0].plan: 'user@northwind.com' has no plan 'p1' |
      | an Advanced plan in Support for Business | {"plans": [{"id": "adv", "offer": "advanced", "bought_by": "admin@northwind.com"}], "requests": [{"account": "admin@northwind.com", "portal": "support_for_business", "product": "windows-10", "plan": "adv"}]} | requests[0].plan: Advanced Support for Partners ( |
