"""Spanish phrasings for the training-set generator (see phrases_en.py for the slots)."""

GREETINGS = ["Hola,", "Buenos días,", "Estimados señores:", "Hola equipo,", "Buenas tardes,", "",
             "Hola, buenas,", "Muy señores míos:"]
CLOSINGS = ["Saludos,", "Un saludo,", "Gracias,", "Atentamente,", "Muchas gracias de antemano,", "",
            "Un abrazo,", "Quedo atento a su respuesta."]
NAMES = ["Lucía García", "Javier Fernández", "María López", "Carlos Martínez", "Sofía Romero", "Diego Torres",
         "Valentina Ruiz", "Andrés Morales", "Camila Herrera", "Pablo Jiménez"]
MOBILE = ["Enviado desde mi iPhone", "Enviado desde mi Samsung Galaxy", "Obtener Outlook para Android"]
ACCESSORIES = ["filtros de papel", "filtro metálico", "tapa Flow Control", "portafiltros", "junta de repuesto",
               "funda de viaje", "embudo", "cuchara dosificadora"]
COLORS = ["transparente", "ámbar", "morado", "negro", "azul"]
MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
          "noviembre", "diciembre"]
DATE_FORMAT = "{day} de {month}"
ORDER_WORDS = ["pedido", "pedido nº", "número de pedido", "orden"]

SUBJECTS = {
    "presales.general": [
        "Consulta sobre la {product}", "¿Envían a {country}?", "Código de descuento", "Pregunta rápida",
        "Antes de comprar", "Formas de pago",
    ],
    "presales.complex": [
        "Asesoramiento para varios modelos", "¿Se pueden combinar descuentos?", "Regalos para la oficina",
        "Presupuesto con varios accesorios", "Cálculo de precio total",
    ],
    "wholesale": [
        "Consulta mayorista", "Precios para distribuidores", "Pedido al por mayor", "Reventa en {country}",
        "Propuesta comercial {business}",
    ],
    "order.tracking": [
        "¿Dónde está mi pedido?", "El seguimiento no se actualiza", "Pedido {order}", "Paquete atascado",
        "Fecha de entrega", "No me ha llegado el paquete",
    ],
    "returns": [
        "Devolución", "Quiero devolver la {product}", "Devolución pedido {order}", "Etiqueta de devolución",
        "Cambio de modelo",
    ],
    "refunds": [
        "Reembolso", "¿Dónde está mi reembolso?", "Reembolso del pedido {order}", "Importe del reembolso",
        "Reembolso rechazado",
    ],
    "complaint.simple": [
        "Queja", "Muy decepcionado", "Llegó rota", "Mala atención", "Reclamación",
    ],
    "complaint.complex": [
        "Reclamación por varios pedidos", "Último aviso antes de contracargo", "Escalado", "Varios problemas",
        "Acciones legales",
    ],
    "privacy": [
        "Eliminar mi cuenta", "Solicitud RGPD", "Darme de baja", "Rectificar mis datos", "Acceso a mis datos",
    ],
}

BODIES = {
    "presales.general": [
        "estoy pensando en comprar la {product}. ¿Se puede preparar un café tipo espresso con ella?",
        "¿hacen envíos a {country}? ¿Cuánto tarda normalmente la entrega?",
        "¿La {product} se puede lavar en el lavavajillas? Quiero saberlo antes de comprarla.",
        "el código {coupon} no funciona en el carrito. ¿Es solo para algunos productos? Todavía no he hecho el "
        "pedido.",
        "¿La {product} incluye filtros o tengo que comprar los {accessory} aparte?",
        "¿Puedo pagar con PayPal o Bizum? En la pantalla de pago solo aparece tarjeta.",
        "¿El {accessory} es compatible con la {product}? No quiero equivocarme al comprar.",
        "¿Qué modelo me recomiendan para llevar de viaje? Busco algo ligero y fácil de limpiar.",
        "¿Tienen la {product} en color {color}? En la web solo veo una foto.",
        "Si pago en dólares, ¿tendré que pagar aduanas al recibir el paquete en España?",
    ],
    "presales.complex": [
        "quiero regalar {qty} cafeteras a mi equipo, mezclando la {product} y la {product2}, cada una con "
        "{accessory}. ¿Cuál sería el total si combino el precio del pack con el código {coupon}?",
        "¿me ayudan a elegir? Quiero la {product} para casa, la {product2} para viajar y además {accessory} y "
        "{accessory2}. ¿Qué filtros sirven para cada una y hay descuento por comprarlo todo junto?",
        "Tienen un {percent}% en la {product} y otra promoción de accesorio gratis. ¿Se pueden aplicar las dos "
        "en el mismo pedido? Necesito el precio exacto de dos cafeteras y tres paquetes de filtros.",
        "Somos cuatro amigos y queremos hacer un pedido conjunto con modelos distintos y accesorios para cada "
        "uno. ¿El descuento por cantidad se acumula con el cupón de bienvenida?",
        "Estoy comparando la {product}, la {product2} y la XL para una oficina de diez personas. ¿Cuál conviene, "
        "cuántos filtros necesitaríamos al mes y hay precio especial por un año de filtros?",
        "Para Navidad busco cinco cafeteras diferentes con sus accesorios. ¿Qué combinación recomiendan y cómo "
        "se suman los descuentos de temporada con el cupón de primera compra?",
        "Por favor, un presupuesto para: 1x {product}, 1x {product2}, 2x {accessory}, 1x {accessory2}, con el "
        "{percent}% de descuento y mis puntos de fidelidad. El carrito solo aplica un descuento.",
        "¿Qué sale más barato, el pack con {accessory} o todo por separado con el código {coupon}? Compraría dos "
        "packs y un {accessory2} extra.",
        "Necesito asesoramiento sobre varios modelos y accesorios a la vez: compatibilidad entre ellos y el "
        "cálculo de todos los descuentos acumulados antes de pagar.",
    ],
    "wholesale": [
        "tenemos una cafetería de especialidad en {city} y queremos vender cafeteras AeroPress y filtros. "
        "¿Ofrecen precios mayoristas? ¿Cuál es el pedido mínimo?",
        "Soy responsable de compras en {business}. Nos interesa comprar unas {qty} unidades de la {product} para "
        "revender. ¿Pueden enviarnos la tarifa para distribuidores y las condiciones de pago?",
        "somos distribuidores en {country} y nos gustaría trabajar con ustedes. ¿Qué condiciones tienen para "
        "compras al por mayor?",
        "Nuestra tostadora quiere incluir una AeroPress en las cajas de suscripción, unas {qty} al mes. ¿Hay "
        "descuento para pedidos grandes recurrentes?",
        "Necesitamos {qty} unidades como regalo corporativo para un evento de empresa. ¿Tienen precio por "
        "volumen y entrega en {city} antes del {date}?",
        "Tenemos una cadena de tiendas de menaje y pedimos presupuesto para {qty} {product} y {qty2} paquetes "
        "de {accessory}.",
        "¿Pueden abrir una cuenta de revendedor para {business}? Compraríamos al por mayor para nuestra escuela "
        "de baristas.",
        "¿Cuál es el precio por unidad a partir de {qty} piezas? ¿Ofrecen expositores para tiendas?",
        "Vamos a abrir una tienda en {city} y queremos revender productos AeroPress. ¿Cuál es el descuento "
        "mayorista y la cantidad mínima?",
    ],
    "order.tracking": [
        "mi pedido {order} se envió hace {days} días pero el seguimiento no ha cambiado desde el primer "
        "escaneo. ¿Pueden consultar con {carrier}?",
        "el número de seguimiento {tracking} solo dice 'etiqueta creada'. ¿Ha salido el paquete de su almacén?",
        "¿cuándo llegará mi pedido? Lo hice el {date} y no he recibido ningún correo de envío. Pedido {order}.",
        "Según {carrier} mi paquete está retenido en aduanas en {city}. ¿Tengo que hacer algo?",
        "El seguimiento del pedido {order} dice entregado, pero no tengo nada en casa ni con los vecinos.",
        "mi paquete lleva {days} días parado en tránsito. Por favor, revisen dónde está.",
        "¿Me pueden dar la fecha estimada de entrega del pedido {order}? Me voy de viaje el {date}.",
        "El estado del pedido lleva {days} días en 'procesando'. ¿Ya se ha enviado? Número de pedido {order}.",
        "¿Tienen número de seguimiento para mi pedido? En la confirmación no venía ninguno. {order}",
    ],
    "returns": [
        "quiero devolver la {product} del pedido {order}. Está sin usar y en su caja. ¿Cómo inicio la "
        "devolución?",
        "me llegó el color equivocado, pedí {color}. Quiero devolverlo y que me envíen el correcto.",
        "¿Todavía puedo devolver mi {product}? La compré hace {weeks} semanas, creo que estoy dentro de los 60 "
        "días.",
        "por favor, envíenme una etiqueta de devolución para el pedido {order}. El {accessory} no encaja en mi "
        "cafetera.",
        "Me regalaron la {product} pero ya tengo una. ¿Es posible devolverla?",
        "Solicitud de devolución: pedido {order}, modelo {product}, motivo: pedido duplicado por error. Por "
        "favor, envíenme el número de autorización.",
        "¿Puedo cambiar la {product} por la {product2}? No la he abierto.",
        "Solo quiero devolver una parte del pedido {order}: el {accessory}. La cafetera me la quedo.",
        "¿A qué dirección envío la devolución? El producto no es lo que esperaba. Pedido {order}.",
    ],
    "refunds": [
        "devolví la {product} el {date} y el seguimiento indica que la recibieron. ¿Cuándo me harán el "
        "reembolso?",
        "recibí el reembolso del pedido {order} pero faltan {amount}. ¿Descontaron el envío? La devolución era "
        "gratuita.",
        "han pasado {days} días hábiles desde que inspeccionaron mi devolución y el reembolso no aparece en mi "
        "tarjeta.",
        "Rechazaron mi reembolso diciendo que la {product} estaba usada, pero solo abrí la caja. ¿Qué cláusula "
        "aplican? Les pido que lo revisen.",
        "¿Me confirman si el reembolso se hizo a PayPal y no a la tarjeta? Pedido {order}.",
        "Solo me devolvieron una parte del dinero, el {accessory} no se reembolsó.",
        "¿Cuánto tarda el reembolso después de recibir la devolución? La envié el {date}.",
        "El reembolso se aprobó el {date} pero no ha llegado nada a mi cuenta. ¿Me pueden dar la referencia de "
        "la transacción?",
        "¿El reembolso incluye también los gastos de envío originales? Pedido {order}.",
    ],
    "complaint.simple": [
        "estoy muy decepcionado. La {product} llegó con una grieta y la caja aplastada.",
        "quiero poner una queja por el trato de su agente por teléfono. Fue maleducado y no me ayudó.",
        "Es inaceptable: llevo {days} días esperando una respuesta de atención al cliente.",
        "La {product} huele muchísimo a plástico incluso después de lavarla cinco veces. No estoy nada contento "
        "con la calidad.",
        "El embalaje fue lamentable, todo suelto en una caja enorme y el {accessory} llegó doblado.",
        "Reclamación: pagué envío exprés y el paquete llegó por envío normal.",
        "La junta de mi {product} venía rota de fábrica. Muy mal control de calidad.",
        "El cupón {coupon} anunciado no funcionó en mi compra y pagué el precio completo. Me parece fatal.",
        "Quiero presentar una queja, el producto parece usado, con rayas y huellas.",
    ],
    "complaint.complex": [
        "tengo dos pedidos, {order} y {order2}. El primero llegó roto, el segundo nunca llegó y mi solicitud de "
        "reembolso se ignoró. Si no se resuelve en una semana pediré un contracargo a mi banco.",
        "Esta es una reclamación formal. Su transportista perdió mi paquete, atención al cliente prometió un "
        "reemplazo que nunca llegó y me cobraron dos veces en la tarjeta.",
        "En mis tres últimos pedidos ({order}, {order2}, {order3}) siempre algo salió mal. Quiero que una sola "
        "persona revise todo.",
        "Su almacén dice que la devolución no llegó, {carrier} dice que se entregó y el departamento de "
        "reembolsos me manda al almacén. Nadie se hace responsable.",
        "Acudiré a consumo y a un abogado si no se soluciona. No aplicaron el cupón, la entrega llegó un mes "
        "tarde y ahora rechazan la devolución.",
        "Si hoy no tengo respuesta abriré una disputa con mi banco por el importe total. El reembolso se "
        "prometió dos veces.",
        "Reclamación sobre los pedidos {order} y {order2}: los dos con el modelo equivocado y encima debo pagar "
        "el envío del cambio. Exijo una compensación.",
        "Escalo este caso. Pedido {order} dañado, el pedido de reemplazo {order2} retrasado y sus respuestas se "
        "contradicen.",
        "Varios problemas a la vez: doble cargo, cafetera rota y un código de descuento eliminado después del "
        "pago. Espero una solución completa o tomaré medidas legales.",
    ],
    "privacy": [
        "por favor, eliminen mi cuenta y todos mis datos personales.",
        "de acuerdo con el RGPD solicito acceso a todos los datos personales que tienen sobre mí.",
        "Dénme de baja de todos los correos publicitarios. Sigo recibiéndolos aunque me di de baja.",
        "He cambiado de dirección, por favor corríjanla en mi cuenta porque en la web no me deja.",
        "Quiero saber qué información guardan sobre mí y con quién la comparten.",
        "Ejerzo mi derecho de supresión: borren la cuenta asociada a este correo y confírmenmelo.",
        "¿Pueden exportar mis datos en un archivo? Necesito mi historial de compras.",
        "Mi nombre está mal escrito en la cuenta, ¿pueden rectificarlo?",
        "Retiro mi consentimiento para recibir publicidad por correo y por teléfono.",
    ],
}

QUOTED = [
    "Gracias por escribir a aeropressmall.com. Hemos recibido su consulta [#HD-{ticket}] y responderemos en "
    "un plazo de 2 días laborables.",
    "Su pedido {order2} ha sido enviado con {carrier}. Número de seguimiento: {tracking}.",
    "Gracias por su pedido {order2}: 1x {product2}, total {amount}.",
    "Su número de autorización de devolución es RA-{ticket}. Envíe el paquete a nuestro almacén de devoluciones.",
]
ATTRIBUTION = ["El {date}, aeropressmall.com <support@aeropressmall.com> escribió:",
               "-----Mensaje original-----\nDe: aeropressmall.com <support@aeropressmall.com>\nEnviado: {date}\n"
               "Asunto: Su pedido"]
FILLERS = ["Espero que esta sea la dirección correcta.", "Perdón por el correo tan largo.",
           "Soy cliente desde hace años.", "Gracias por su ayuda.", "No he encontrado la respuesta en las FAQ.",
           "Quedo a la espera de su respuesta."]
WRONG_ADDRESS = ["Perdón si no es la dirección correcta.", "Si no es aquí, por favor reenvíenlo."]
ATTACH_NOTES = ["Adjunto una foto.", "Les envío una imagen adjunta.", "Adjunto captura de pantalla.",
                "Ver archivo adjunto."]

# Más formulaciones, añadidas al final para que las plantillas anteriores conserven su partición.
BODIES["presales.general"] += [
    "¿La {product} funciona con café molido del supermercado o necesito una molienda especial?",
    "¿Cuánto dura la garantía si compro la {product} en su tienda?",
    "¿Tienen descuento para estudiantes? Quiero comprar antes de que empiece el curso.",
    "El {accessory} aparece dos veces en la tienda con precios distintos. ¿Cuál es el correcto?",
]
BODIES["presales.complex"] += [
    "Quiero comprar para toda la familia: la {product} para mis padres, la {product2} para mi hermana y "
    "filtros para un año. ¿Cuánto pagaría con el pack y el código {coupon}?",
    "¿Qué tapas sirven para cada modelo, el {percent}% de descuento se acumula con los accesorios gratis y "
    "cuánto cuestan cuatro cafeteras con repuestos?",
    "Necesito un kit completo para un club de café de seis personas, con dos modelos distintos y sus filtros, "
    "y saber cómo se combinan el descuento de grupo y el precio de oferta.",
    "Pienso pedir la {product}, la {product2} y la XL con {accessory} a juego. ¿Qué es compatible con qué y "
    "cuál es el total tras todos los descuentos?",
]
BODIES["wholesale"] += [
    "Somos una cadena de librerías con cafetería y queremos vender AeroPress en caja. ¿Pedido mínimo y precio "
    "para comercios?",
    "Soy importador en {country} y busco cantidades de contenedor de cafeteras y filtros. Envíenme sus "
    "mejores precios mayoristas y condiciones de entrega.",
    "Nuestra tienda online de café busca proveedor: {qty} unidades para empezar y más cada trimestre. ¿Qué "
    "margen tienen los revendedores?",
    "Nuestra empresa equipa {qty} cocinas de oficina. ¿Podemos tener una cuenta de empresa con factura "
    "mensual?",
]
BODIES["order.tracking"] += [
    "El enlace de seguimiento de su correo da error. ¿Dónde puedo ver dónde está mi paquete? {order}",
    "{carrier} devolvió mi paquete por un código postal incorrecto. ¿Pueden reenviarlo? Pedido {order}.",
    "¿Cuándo se enviará el pedido {order}? Ya han pasado {days} días.",
    "hola, dónde está mi paquete?? pedí hace {weeks} semanas, {order}, y nada",
]
BODIES["returns"] += [
    "La {product} es más grande de lo que pensaba y no cabe en mi mochila. Quiero devolverla, pedido {order}.",
    "El {accessory} se rajó al primer uso. ¿Cómo consigo un número de devolución?",
    "Devuelvo el pedido {order} completo, me equivoqué de modelo. ¿A dónde lo envío?",
    "A mi hijo ya le regalaron una {product} por su cumpleaños y la nuestra sigue precintada. ¿Puedo "
    "devolverla?",
]
BODIES["refunds"] += [
    "Me escribieron que mi devolución pasó la inspección el {date}. ¿Cuándo vuelve el dinero a mi Visa?",
    "¿Por qué solo me reembolsaron {amount}? Pagué más por el pedido {order}.",
    "Rechazaron mi reembolso y el correo no dice por qué. ¿Me pueden detallar los motivos?",
    "hola, ¿alguna novedad del reembolso de la {product} que devolví? pedido {order}",
]
BODIES["complaint.simple"] += [
    "Estoy muy molesto: a la {product} se le sale el agua por la base en cada uso.",
    "El repartidor fue grosero y no quiso subir el paquete. No espero eso de una tienda como la suya.",
    "El color de mi {product} no se parece nada a las fotos de la web. Muy engañoso.",
    "Nada satisfecho: la caja llegó abierta y vuelta a cerrar con cinta, y faltaba el {accessory}.",
]
BODIES["complaint.complex"] += [
    "Presento una reclamación formal. El pedido {order} se cobró dos veces, al {order2} le falta un artículo "
    "y su soporte cierra mis incidencias. Quiero hablar con un responsable.",
    "Si el lunes no tengo mi dinero pediré a mi banco que anule los dos cargos. El paquete nunca llegó y "
    "reembolsos dice que es un problema de envío.",
    "Envíos, almacén de devoluciones y atención al cliente se culpan entre sí, y después de seis semanas sigo "
    "con una cafetera rota y sin reembolso.",
    "Se trata de los pedidos {order}, {order2} y el pedido de cambio {order3}: artículos equivocados, un "
    "paquete perdido y un reembolso fallido. Exijo una compensación por todo.",
]
BODIES["privacy"] += [
    "No quiero que sigan guardando mi dirección y mi teléfono. Bórrenlos, por favor.",
    "envíenme una copia de todos los datos que tienen sobre mí en un formato legible por máquina.",
    "Mi correo electrónico ha cambiado. Actualícenlo y eliminen el antiguo.",
    "Nunca acepté recibir SMS publicitarios. Quiten mi número de sus listas y díganme de dónde lo sacaron.",
]
