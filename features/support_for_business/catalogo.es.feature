# language: es
Característica: El catálogo local avanza con el reloj (directiva n-1) (es-ES)
  Soporte técnico de productos de Microsoft para el entorno local reciente: según la directiva n-1
  (aka.ms/n-1), la versión actual de un producto y la anterior están cubiertas. Si ha seleccionado
  un producto local antiguo, el contrato de soporte técnico para partners solo aparece en "Would you
  like to see unavailable support plans?", con la información de la firma de asociado.

  Antecedentes:
    Dado que "Contoso" es un partner Gold con la competencia "Cloud Platform"
    Y que "admin@contoso.com" es administrador global de "Contoso"
    Y que "usuario@contoso.com" es un usuario de "Contoso"
    Y que los portales hablan español
    Y que las ventajas técnicas de "Contoso" están activadas
    Y que "usuario@contoso.com" agregó el contrato de "Contoso" en Soporte técnico para empresas

  @R-SFB-01 @R-SFB-08 @D7 @D10
  Escenario: Windows 11 aparece el 2021-10-04 y Windows 8.1 deja de estar cubierto
    Entonces Soporte técnico para empresas no ofrece "Windows 11"
    Y Soporte técnico para empresas ofrece "Windows 8.1" entre los productos cubiertos
    Cuando la fecha simulada pasa a ser el 2021-10-04
    Entonces Soporte técnico para empresas ofrece "Windows 11" entre los productos cubiertos
    Y Soporte técnico para empresas ofrece "Windows 8.1" entre los productos anteriores a n-1, no cubiertos
    Cuando "usuario@contoso.com" abre el paso 2 para "Windows 8.1"
    Entonces el contrato de soporte técnico para partners solo aparece entre los planes no disponibles, por un producto anterior a n-1
    Y la información de la firma de asociado muestra la oferta Gold con Soporte técnico Signature Cloud sin límite
    Cuando "usuario@contoso.com" crea una solicitud de soporte técnico para "Windows 8.1" en Soporte técnico para empresas
    Entonces la solicitud se rechaza con "ProductNotCovered"
    Cuando "usuario@contoso.com" abre el paso 2 para "Windows 11"
    Entonces el paso 2 muestra el contrato de soporte técnico para partners con 20 incidentes restantes

  @R-SFB-01 @D7
  Escenario: Un producto aún no publicado no se ofrece
    Cuando "usuario@contoso.com" crea una solicitud de soporte técnico para "Windows Server 2022" en Soporte técnico para empresas
    Entonces la solicitud se rechaza con "ProductNotReleased"
    Y ve el mensaje "Windows Server 2022 aún no se ha publicado: su ciclo de vida empieza el 2021-08-18"
    Y "usuario@contoso.com" no tiene ninguna solicitud de soporte técnico
