Feature: What each membership offer entitles a partner to
  Microsoft product support (recent on-premises products): Action Pack 10 incidents, Silver 15,
  Gold 20. Signature Cloud Support (cloud products): none with Action Pack; unlimited for cloud
  competencies; otherwise 5 incidents (Silver) or 10 (Gold).

  @R-EN-01 @R-EN-02
  Scenario: Partner Center's entitlement table
    Then Partner Center's entitlement table reads
      | offer       | Microsoft product support | Signature Cloud, cloud competencies | Signature Cloud, other competencies |
      | Action Pack | 10                        | none                                | none                                |
      | Silver      | 15                        | unlimited                           | 5                                   |
      | Gold        | 20                        | unlimited                           | 10                                  |

  @R-EN-01 @R-EN-02 @R-EN-03 @D1
  Scenario Outline: A <offer> partner with the <competency> competency
    Given "Contoso" is a <offer> partner with the "<competency>" competency
    And "admin@contoso.com" is a Global admin of "Contoso"
    And the technical benefits of "Contoso" are active
    When "admin@contoso.com" opens the Technical benefits page
    Then the page shows <on-premises> incidents of Microsoft product support
    And the contract of "Contoso" holds <on-premises> on-premises incidents and <cloud> Signature Cloud incidents

    Examples: Action Pack has no Signature Cloud Support
      | offer       | competency                          | on-premises | cloud     |
      | Action Pack | Cloud Platform                      | 10          | no        |
      | Action Pack | Application Development             | 10          | no        |

    Examples: the six cloud competencies give unlimited Signature Cloud Support
      | offer       | competency                          | on-premises | cloud     |
      | Silver      | Security                            | 15          | unlimited |
      | Gold        | Cloud Business Applications         | 20          | unlimited |
      | Silver      | Cloud Platform                      | 15          | unlimited |
      | Gold        | Cloud Productivity                  | 20          | unlimited |
      | Silver      | Enterprise Mobility Management      | 15          | unlimited |
      | Gold        | Small and Midmarket Cloud Solutions | 20          | unlimited |

    Examples: other competencies get the Signature 5-pack or 10-pack
      | offer       | competency                          | on-premises | cloud     |
      | Silver      | Application Development             | 15          | 5         |
      | Gold        | Data Analytics                      | 20          | 10        |
