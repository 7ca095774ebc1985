# language: es
Característica: Soporte técnico para productos locales o en la nube (es-ES)
  La edición española del artículo: el identificador de acceso y el identificador de contrato se
  muestran después de la activación correcta, y el Azure Portal puede mostrar el error "El
  identificador de acceso ya está asociado...", que no es válido y debe omitirse.

  Antecedentes:
    Dado que "Contoso" es un partner Gold con la competencia "Cloud Platform"
    Y que "admin@contoso.com" es administrador global de "Contoso"
    Y que "usuario@contoso.com" es un usuario de "Contoso"
    Y que los portales hablan español

  @R-PC-05 @R-PC-06 @D2
  Escenario: Sin retraso de activación se muestran los identificadores en seguida
    Dado que la activación es inmediata
    Cuando "admin@contoso.com" pulsa el botón Activar
    Entonces "usuario@contoso.com" ve el identificador de acceso y el identificador de contrato

  @R-PC-01
  Escenario: La página muestra la ventaja TPD con su enlace "más información"
    Cuando "usuario@contoso.com" abre la página Ventajas técnicas
    Entonces la tarjeta TPD dice "Servicios técnicos de preventa e implementación (TPD): más información"
    Y su enlace "más información" abre "https://learn.microsoft.com/partner-center/technical-benefits" en una pestaña nueva

  @R-EN-03
  Escenario: Las competencias en la nube se nombran como en el artículo
    Cuando "usuario@contoso.com" abre la página Ventajas técnicas
    Entonces la página dice "Las competencias en la nube incluyen: Competencia de seguridad, Cloud Business Applications, Cloud Platform, Cloud Productivity, Enterprise Mobility Management, Small and Midmarket Cloud Solutions."

  @R-PC-02
  Escenario: Una cuenta asociada solo a CSP
    Dado que "Adatum" es un partner solo CSP
    Y que "agente@adatum.com" es agente de administración de "Adatum"
    Cuando "agente@adatum.com" abre la página Ventajas técnicas
    Entonces ve el mensaje "No está autorizado para esta acción"
    Y la página añade: "Debe tener una cuenta asociada a MPN."

  @R-PC-04
  Escenario: Sin ninguna oferta de pertenencia activa
    Dado que "Litware" es un partner de MPN sin oferta de pertenencia
    Y que "admin@litware.com" es administrador global de "Litware"
    Cuando "admin@litware.com" abre la página Ventajas técnicas
    Entonces ve el mensaje "Parece que aún no tiene ninguna beneficios"
    Y la página añade: "Si su empresa tiene ofertas de suscripción activas, pero no las puede ver, ha iniciado sesión con la cuenta incorrecta."
    Y la página añade: "Para comprobar la cuenta, seleccione el icono Cuenta en la parte superior derecha de la página y seleccione Iniciar sesión con otra cuenta (si es necesario)."
    Y la página ofrece "Iniciar sesión con otra cuenta"
    Cuando sigue el enlace "Iniciar sesión con otra cuenta" del menú de la cuenta
    Y elige la cuenta "admin@contoso.com" en la página de inicio de sesión
    Entonces la página muestra a "admin@contoso.com" las ventajas técnicas de la oferta Gold

  @R-AZ-05 @R-AZ-06
  Escenario: El error "El identificador de acceso ya está asociado..." debe omitirse
    Dado que las ventajas técnicas de "Contoso" están activadas
    Y que "usuario@contoso.com" agregó el contrato de "Contoso" en Soporte técnico para empresas
    Cuando "usuario@contoso.com" vincula las ventajas de soporte técnico de "Contoso" en el Azure Portal
    Entonces ve el mensaje "Este identificador de acceso ya está asociado a una cuenta. Póngase en contacto con el administrador técnico de cuentas para obtener un nuevo identificador de acceso."
    Y "+ New Support Request" muestra el plan de soporte técnico de "Contoso"
    Cuando "usuario@contoso.com" crea una solicitud de soporte técnico para "App Service" en el Azure Portal
    Entonces la solicitud se crea con el plan de soporte técnico de "Contoso"

  @R-SFB-06
  Escenario: Cuántos incidentes de soporte técnico de asociados quedan
    Dado que las ventajas técnicas de "Contoso" están activadas
    Y que "usuario@contoso.com" agregó el contrato de "Contoso" en Soporte técnico para empresas
    Cuando "usuario@contoso.com" abre el paso 2 para "Windows 10"
    Entonces el paso 2 muestra el contrato de soporte técnico para partners con 20 incidentes restantes
    Y "usuario@contoso.com" no tiene ninguna solicitud de soporte técnico
