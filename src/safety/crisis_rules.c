/*
 * crisis_rules.c: the phrases the crisis-language scanner looks for, in
 * English and Spanish (pattern syntax in crisis_rules.h).
 *
 * Data only.  Words are written as the scanner normalises text: lower
 * case, accents folded (mañana -> manana), apostrophes dropped (don't ->
 * dont), "do not" -> dont, "I am" -> im, "wanna" -> want to, "gonna" ->
 * going to, "kms" -> kill myself, "q" -> que.
 *
 * How the tables were built: a risk phrase is written as narrowly as it
 * can be while still catching the indirect ways people say it; where an
 * everyday phrase shares its words ("dying to get there", "cut myself
 * shaving", "me muero de risa", "cortarme el pelo"), an idiom masks it.
 * The labelled sets in tests/data/crisis/ measure the result (recall and
 * false alarms), and every change here should be checked against them:
 *	ninja -C build test_safety_crisis_eval && meson test -C build safety_crisis_eval -v
 * When in doubt, flag: missing a real crisis is worse than a false alarm.
 */
#include "safety/crisis_rules.h"

#include "safety/crisis_lang.h"

#define S	CRISIS_SUICIDE
#define H	CRISIS_SELF_HARM
#define O	CRISIS_OVERDOSE

#define RISK(cat, fl, p)	{ CR_RISK, (cat), (fl), (p) }
#define IDIOM(p)		{ CR_IDIOM, 0, 0, (p) }
#define PAST(p)			{ CR_PAST, 0, 0, (p) }
#define RECENT(p)		{ CR_RECENT, 0, 0, (p) }
#define RESOLVED(p)		{ CR_RESOLVED, 0, 0, (p) }
#define LOGISTICS(p)		{ CR_LOGISTICS, 0, 0, (p) }
#define MUSIC(p)		{ CR_MUSIC, 0, 0, (p) }

#define GB	CRF_GOODBYE

const struct crisis_rule crisis_rules[] = {
	/* ================= English: suicide ================= */
	RISK(S, 0, "kill*|unaliv*|off|offing myself"),
	RISK(S, 0, "end|ending|ended my [own] life"),
	RISK(S, 0, "take|taking|took my own life"),
	RISK(S, 0, "take|taking my life $"),
	RISK(S, 0, "end|ending it all"),
	RISK(S, 0, "end|ending it|everything tonight|now|today|soon|$"),
	RISK(S, 0, "commit|committing|attempt|attempting|contemplating|considering|planning ~1 suicide"),
	RISK(S, 0, "think|thinking|thought|thoughts|urges|urge|ideas ~1 about|of ~1 suicide|dying|death|killing+myself|ending+it|ending+my+life|not+being+here"),
	RISK(S, 0, "suicidal"),
	RISK(S, 0, "suicide note|plan|letter"),
	RISK(S, 0, "want|wants|wanted|wanting|ready|deserve|deserved|wish|longing|praying ~1 to die"),
	RISK(S, 0, "wish|wished|wishing ~1 i|id was|were|could|would|had ~1 dead|die|died|never+woke"),
	RISK(S, 0, "wish|wished|wishing ~1 i|id ~1 never ~1 been+born|existed|born|woke+up"),
	RISK(S, 0, "wish|wished|wishing ~1 i|id wasnt|werent|didnt+exist|could+disappear|was+gone|were+gone|wasnt+born|hadnt+been+born"),
	RISK(S, 0, "hope|hoping|pray|praying i|im die|dead"),
	RISK(S, 0, "hope|hoping|pray|praying i dont|never|wont wake"),
	RISK(S, 0, "hope|hoping ~3 kill|kills me"),
	RISK(S, 0, "let me die|not+wake|never+wake|go+to+sleep+forever"),
	RISK(S, 0, "better off dead"),
	RISK(S, 0, "better off without me"),
	RISK(S, 0, "better off if|when i ~1 dead|gone|died|disappeared|wasnt|werent|didnt+exist"),
	RISK(S, 0, "happier|better ~1 if|when i ~1 died|dead|disappeared|was+gone|were+gone|wasnt+here|werent+here|didnt+exist"),
	RISK(S, 0, "nobody|noone|no+one would|will|wouldnt ~1 miss me"),
	RISK(S, 0, "nobody|noone|no+one would|will ~1 notice|care|know|cry ~1 if|when i ~1 died|dead|gone|disappeared|wasnt|werent|killed|left|was+gone"),
	RISK(S, 0, "nothing [left] to live for"),
	RISK(S, 0, "no reason|reasons to live|keep+going|go+on|stay+alive|be+alive"),
	RISK(S, 0, "dont|dont+have|havent|cant+find|cant+see|cant+think+of ~1 any|a reason|reasons to live|keep+going|stay+alive|be+alive"),
	RISK(S, 0, "no point ~1 living|going+on|being+alive|anymore|in+anything|trying+anymore"),
	RISK(S, 0, "whats|what+is the point ~1 living|life|going+on|being+alive|anything|it+all|trying+anymore"),
	RISK(S, 0, "isnt|not|aint worth living"),
	RISK(S, 0, "life|living isnt|aint|is+not ~1 worth it"),
	RISK(S, 0, "tired|sick|exhausted of being+alive|existing|life"),
	RISK(S, 0, "tired|sick|exhausted of living $|anymore|like+this"),
	RISK(S, 0, "done with life|living|it+all"),
	RISK(S, 0, "done living"),
	RISK(S, 0, "dont want to live|exist|be+alive"),
	RISK(S, CRF_NOMASK, "dont want to live with this|the pain|guilt|shame|feeling|hurt"),
	RISK(S, 0, "no+longer|never want to live|exist|be+alive|be+here"),
	RISK(S, 0, "dont want to be here|around anymore|any+more|any+longer|on+this+earth|on+earth|in+this+world|no+more|$"),
	RISK(S, 0, "dont|never want to wake up again|anymore|ever|tomorrow|$"),
	RISK(S, 0, "never|not wake up again|$"),
	RISK(S, 0, "want|wish|wanting ~3 sleep forever"),
	RISK(S, 0, "why ~1 im|am+i still alive|breathing"),
	RISK(S, 0, "cant|couldnt go on like+this|anymore|any+longer|living|$"),
	RISK(S, 0, "cant do this|it anymore|any+more|any+longer"),
	RISK(S, 0, "cant take|handle|bear it|this|life anymore|any+more|any+longer|$"),
	RISK(S, 0, "cant keep going|fighting|living|doing+this anymore|like+this|$"),
	RISK(S, 0, "want|wanted|wish|need it|everything|it+all|this|things to end|stop $|forever|permanently|for+good|now"),
	RISK(S, 0, "disappear forever|permanently|for+good"),
	RISK(S, 0, "want|wish ~2 disappear $"),
	RISK(S, 0, "im|am|feel|feeling|being ~2 a|such+a burden"),
	RISK(S, 0, "burden to|on|for everyone|everybody|my+family|them|my+kids|the+world|others"),
	RISK(S, 0, "picturing|imagining|planning|thinking+about ~1 my own funeral"),
	RISK(S, 0, "no|only way out $|except|but|other+than"),
	RISK(S, 0, "dont see a|any way out $|except|but|other+than"),
	RISK(S, 0, "except|other+than|but dying|death|to+die"),
	RISK(S, 0, "no hope left|for+me|anymore"),
	RISK(S, 0, "lost all hope"),
	RISK(S, 0, "out of my misery"),
	RISK(S, CRF_NONEG, "lost|losing ~2 will to live"),
	RISK(S, CRF_NONEG, "will to live ~1 gone|left|disappeared|died|vanished"),
	RISK(S, 0, "rather be+dead|die than ~1 live|living|go+on|keep|wake|exist|be+alive"),
	RISK(S, CRF_NOMASK, "not+sure|unsure|dont+know|dont+think [if|whether|that] i want to live|be+alive|keep+going|go+on+$|stay|exist|wake+up|be+here"),
	RISK(S, CRF_NONEG, "cant|wont|cannot promise ~2 not|wont|dont|wouldnt ~1 hurt|kill|harm|do|try|end|cut|use"),
	RISK(S, 0, "feel|feeling like dying $"),
	RISK(S, 0, "leave|leaving this world|earth"),
	RISK(S, 0, "have|got|made a plan $"),
	RISK(S, 0, "plan|plans|planning|planned to ~1 die|end+it|end+my+life|kill+myself|take+my+life|overdose|od|jump|hang"),
	RISK(S, 0, "see you on+the+other+side|in+another+life|in+heaven|in+the+next+life"),

	/* goodbyes */
	RISK(S, GB, "this is|was goodbye"),
	RISK(S, GB, "goodbye|bye forever|for+good|cruel+world"),
	RISK(S, GB, "final goodbye|goodbyes|words|message"),
	RISK(S, GB, "my final|last goodbye|goodbyes|words|message|post|note|letter"),
	RISK(S, GB, "goodbye|bye everyone|everybody|all|world|yall|friends"),
	RISK(S, GB, "when|after|once im gone|dead"),
	RISK(S, GB, "when|after|once i die|am+dead|am+gone"),
	RISK(S, GB, "wont|never hear|see from+me|me again|anymore|ever+again"),
	RISK(S, GB, "wont be around|here much+longer|anymore|for+long|any+longer|after+tonight|after+today"),
	RISK(S, GB, "giving|give|gave|given away my ~1 things|stuff|belongings|possessions|clothes|books|records"),
	RISK(S, GB, "wrote|written|writing|write ~2 letter|letters|note|notes to|for my ~1 kids|children|family|son|daughter|wife|husband|mom|mother|dad|father|parents|partner|loved+ones"),
	RISK(S, GB, "sorry for everything $"),
	RISK(S, GB, "forgive me for everything $"),
	RISK(S, GB, "leaving|going+away for good|forever"),

	/* plans and means */
	RISK(S, 0, "standing|sitting|stood|sat on|at the|a|this bridge|ledge|edge|roof|rooftop|tracks|overpass"),
	RISK(S, 0, "jump|jumping|jumped|leap|leaping off|from ~2 bridge|roof|building|balcony|cliff|ledge|overpass|window|rooftop"),
	RISK(S, 0, "jump|jumping|jumped|throw+myself|step|stepping|walk|walking in front of ~1 train|car|truck|bus|traffic|subway"),
	RISK(S, 0, "bought|buy|buying|got|get ~1 rope|noose"),
	RISK(S, 0, "noose"),
	RISK(S, 0, "gun|pistol|rifle|firearm ~6 myself|my+head|my+mouth"),
	RISK(S, 0, "use|using|used|turn|turning it|them on myself"),
	RISK(S, 0, "shoot|shooting|shot myself"),
	RISK(S, 0, "blow|blowing my brains out"),
	RISK(S, 0, "hang|hanging|hanged myself"),
	RISK(S, 0, "slit|slitting|cut|cutting|slash|slashing my wrists|wrist|throat"),
	RISK(S, 0, "stockpil*|hoard*|stash*|saving|saved|collecting|stocking+up ~3 pills|meds|medication|tablets|sleeping+pills|painkillers|oxy*|xanax"),
	RISK(S, 0, "pills|meds|tablets ~1 saved|stashed|stockpiled|hoarded|put+aside"),
	RISK(S, 0, "how many|much ~3 it+would+take|it+takes|would+it+take|to+die|to+kill+me|would+kill+me|is+lethal|to+not+wake"),
	RISK(S, 0, "lethal|fatal dose"),
	RISK(S, 0, "enough ~3 to kill+me|not+wake|end+it|die|never+wake"),

	/* ================= English: self-harm ================= */
	RISK(H, 0, "to hurt|harm|cut|burn|punish|injure myself"),
	RISK(H, 0, "hurt|harm|cut|burn|burned|burnt|injure|injured myself again|on+purpose|tonight|deeper|$"),
	RISK(H, 0, "hurting|harming|cutting|burning|injuring myself"),
	RISK(H, 0, "self harm*|injur*|mutilat*"),
	RISK(H, 0, "selfharm*"),
	RISK(H, 0, "been|started|start ~1 cutting $|again|myself"),
	RISK(H, 0, "urge|urges to cut|burn|hurt|harm|self"),
	RISK(H, 0, "want|wanted|need to cut $|again|deeper"),

	/* ================= English: overdose ================= */
	RISK(O, 0, "want|going|plan|planning|trying|try|hope|hoping|about|might|will|ready|thinking|thought|think ~2 overdose|od|overdosing"),
	RISK(O, 0, "i|im ~1 overdosing|overdosed|odding|od"),
	RISK(O, 0, "i|i+think+i|i+almost|i+nearly odd"),
	RISK(O, 0, "overdose|overdosing|overdosed|od on+purpose|intentionally|deliberately|tonight"),
	RISK(O, 0, "dont|didnt|wont|not care|caring if|whether i ~1 od|overdose|die|live|wake|survive|make+it|dont+wake|never+wake"),
	RISK(O, 0, "dont|not care|caring what happens ~2 me|$"),
	RISK(O, 0, "use|using|drink|drinking|shoot|shooting|smoke|smoking|party|partying|binge ~2 until|till|til i ~1 die|dead|dont+wake|stop+breathing|never+wake|cant+wake|od|overdose"),
	RISK(O, 0, "shoot|shooting|snort|snorting|smoke|smoking [up] everything|all+of+it|all+i+have|the+whole+bag|the+whole+stash"),
	RISK(O, 0, "took|swallowed|downed|take|swallow|popped ~2 whole|entire bottle|pack|box|strip|packet"),
	RISK(O, 0, "swallow*|downed|popped|took|going+to+take|want+to+take|will+take|ill+take ~1 all|every|bunch|handful|rest ~3 pills|meds|tablets|xanax|benzos|bars|percs|oxy*|sleeping+pills|painkillers|medication|medications"),
	RISK(O, 0, "took|taken|swallowed too many|much ~1 pills|meds|$|xanax|tablets|fent|fentanyl|dope|heroin"),
	RISK(O, 0, "hope|hoping ~2 laced|fent|fentanyl|kills+me|is+enough"),

	/* ================= Spanish: suicide ================= */
	RISK(S, 0, "matarme|suicidarme|ahorcarme|colgarme|autoeliminarme|unalive"),
	RISK(S, 0, "me mato|matare|mataria $|si|hoy|ya|esta+noche|manana|de+una+vez"),
	RISK(S, 0, "me voy+a|quiero|pienso|podria|puedo matar"),
	RISK(S, 0, "quitarme|quitar|quitaria|quito|quite|quitare ~1 la|mi vida"),
	RISK(S, 0, "acabar|terminar|acabare|terminare|acabo|termino|acabaria|terminaria con ~1 mi+vida|esta+vida|mi+existencia"),
	RISK(S, 0, "acabar|terminar|acabare|terminare|acabaria|terminaria con todo $|ya|hoy|esta+noche|de+una+vez"),
	RISK(S, 0, "quiero|quisiera|queria|deseo|necesito|ganas ~2 morir|morirme|muerte|estar+muerto|estar+muerta"),
	RISK(S, 0, "ojala ~2 morir|morirme|muera|me+muera|me+muriera|no+despierte|no+despertar|mate|me+mate|me+matara|estuviera+muerto|estuviera+muerta"),
	RISK(S, 0, "estar|estuviera|estaria muerto|muerta"),
	RISK(S, 0, "mejor muerto|muerta|muertos"),
	RISK(S, 0, "prefiero|preferiria ~2 muerto|muerta|morir|morirme"),
	RISK(S, 0, "no|nunca hubiera|haber|hubiese nacido"),
	RISK(S, 0, "no quiero vivir|existir|seguir+viviendo"),
	RISK(S, 0, "no quiero seguir $|viviendo|aqui|en+este+mundo|con+vida"),
	RISK(S, 0, "no quiero estar aqui|aca $|mas|ya|nunca+mas"),
	RISK(S, 0, "no quiero estar|seguir vivo|viva|en+este+mundo"),
	RISK(S, 0, "no quiero despertar|despertarme $|nunca|jamas|mas|manana|otra+vez"),
	RISK(S, 0, "y no ~1 despertar|despertarme|volver+a+despertar"),
	RISK(S, 0, "para|hasta no despertar|despertarme|volver+a+despertar"),
	RISK(S, 0, "no despertar|despertarme nunca|jamas|mas"),
	RISK(S, 0, "mejor sin mi $"),
	RISK(S, 0, "mejor si ~1 no existiera|estuviera|existo|estoy"),
	RISK(S, 0, "mejor si ~1 me+muero|me+muriera|muriera|muero|desapareciera|desaparezco|me+voy+para+siempre"),
	RISK(S, 0, "nadie ~1 se+daria+cuenta|notaria|me+extranaria|me+va+a+extranar|me+extranara|lo+notaria|se+enteraria|lloraria|me+echaria+de+menos|me+va+a+echar+de+menos"),
	RISK(S, 0, "a nadie le ~1 importa|importaria|importara|va+a+importar ~1 si|que ~2 muero|muera|muriera|desaparezco|desapareciera|mato|pasa|vivo"),
	RISK(S, 0, "soy|ser|siento+que+soy una carga"),
	RISK(S, 0, "cansado|cansada|harto|harta|agotado|agotada de estar+vivo|estar+viva|la+vida|existir|seguir+vivo|seguir+viva"),
	RISK(S, 0, "cansado|cansada|harto|harta|agotado|agotada de vivir $|asi|ya"),
	RISK(S, 0, "no tiene|tendria ~1 sentido ~1 vivir|seguir|la+vida|nada|seguir+viviendo|mi+vida|estar+vivo|estar+viva"),
	RISK(S, 0, "no le ~1 veo|encuentro sentido ~2 vida|vivir|nada|seguir"),
	RISK(S, 0, "vida sin sentido"),
	RISK(S, 0, "vida no vale|valdria la pena"),
	RISK(S, 0, "no vale la pena vivir|seguir|seguir+viviendo|estar+vivo|estar+viva"),
	RISK(S, 0, "no tengo|hay ~2 razon|razones|motivo|motivos|nada ~3 vivir|seguir|seguir+viviendo"),
	RISK(S, 0, "perdi|sin|no+tengo|ya+no+tengo|se+me+fueron|pierdo [las] ganas de vivir"),
	RISK(S, 0, "no|ya+no hay ~1 esperanza ~1 para+mi"),
	RISK(S, 0, "tirarme|aventarme|lanzarme|arrojarme|voy+a+tirar|voy+a+aventar|voy+a+lanzar ~3 puente|edificio|techo|ventana|metro|tren|vias|balcon|azotea|carro|coche|camion|precipicio|barranco"),
	RISK(S, 0, "cortarme|me+corte|me+corto|cortandome las+venas|otra+vez|de+nuevo|los+brazos|las+munecas|las+piernas|$"),
	RISK(S, 0, "suicida|suicidas|suicidio|suicidarme"),
	RISK(S, 0, "tengo|tenia ~1 plan para ~2 matarme|morir|morirme|hacerlo|acabar|terminar|suicidarme|quitarme"),
	RISK(S, 0, "ya tengo ~1 plan $"),
	RISK(S, 0, "compre|comprar|consegui|conseguir|voy+a+comprar ~1 cuerda|soga|pistola|arma"),
	RISK(S, 0, "usarla|usarlo|dispararme|apuntarme ~2 contra mi|en+la+cabeza"),
	RISK(S, 0, "dispararme|pegarme+un+tiro|darme+un+tiro|volarme+la+cabeza|volarme+los+sesos"),
	RISK(S, 0, "estoy en el|la puente|azotea|techo|orilla|vias|cornisa $|ahora"),
	RISK(S, 0, "ya no aguanto|puedo mas $|con+esta+vida|con+la+vida|con+mi+vida|con+todo|con+esto"),
	RISK(S, 0, "no aguanto|puedo mas $|con+esta+vida|con+la+vida|con+mi+vida|con+todo"),
	RISK(S, 0, "no aguanto $"),
	RISK(S, 0, "quiero|necesito que todo termine|se+acabe|acabe|pare|se+termine"),
	RISK(S, 0, "ya no quiero luchar|pelear|vivir|seguir+luchando"),
	RISK(S, CRF_NOMASK, "no estoy segur* de|si querer|quiero vivir|seguir|seguir+viviendo|estar+aqui"),
	RISK(S, CRF_NOMASK, "no se si quiero|querer vivir|seguir|seguir+viviendo|estar+aqui|despertar"),
	RISK(S, CRF_NONEG, "no puedo|podria prometer* ~1 que no ~1 hacerme|me+haga|me+hare|me+mate|matarme|lastimarme|consuma|hacer+algo"),
	RISK(S, 0, "me merezco|merezco|mereceria morir|morirme|la+muerte|estar+muerto|estar+muerta"),
	RISK(S, 0, "listo|lista|preparado|preparada para morir|morirme|irme+de+este+mundo"),
	RISK(S, 0, "llevame|llevenme ya|contigo|senor|dios|pronto"),
	RISK(S, 0, "irme|ir|salir|dejar [de] este mundo"),
	RISK(S, 0, "desaparecer para+siempre|de+este+mundo|del+todo"),
	RISK(S, GB, "me despido de ~1 todos|ustedes|ti|mi+familia|este+mundo|la+vida"),
	RISK(S, GB, "me despido para siempre"),
	RISK(S, GB, "mi ultima|ultimo despedida|mensaje|carta|post|publicacion"),
	RISK(S, GB, "es mi despedida"),
	RISK(S, GB, "carta de despedida"),
	RISK(S, GB, "adios|adio a+todos|para+siempre|mundo"),
	RISK(S, GB, "no me van+a+volver+a|volveran+a|vuelven+a|van+a ver"),
	RISK(S, GB, "cuando|una+vez+que ya no este|estemos"),
	RISK(S, GB, "cuando me haya ido|me+vaya+para+siempre|me+muera"),
	RISK(S, GB, "perdonenme|perdoname|perdon|disculpenme|disculpen por todo $"),
	RISK(S, GB, "regalando|regale|regalar|voy+a+regalar ~1 mis cosas|pertenencias"),
	RISK(S, GB, "ya no los|las|lo|la voy a necesitar"),
	RISK(S, GB, "me despedi de"),
	RISK(S, GB, "despedirme $|de+todos|de+ustedes|de+mi+familia|de+mis+hijos"),

	/* ================= Spanish: self-harm ================= */
	RISK(H, 0, "hacerme|me+haga|me+hago|me+hice|me+hare|me+haria ~1 dano"),
	RISK(H, 0, "lastimarme|autolesion*|herirme|quemarme"),
	RISK(H, 0, "me lastime|corte|queme a+proposito|otra+vez|de+nuevo"),

	/* ================= Spanish: overdose ================= */
	RISK(O, 0, "quiero|voy+a|darme|meterme|tengo|tuve|tome|tomar|me+dio|me+de|me+da|estoy+teniendo|hacerme|provocarme ~2 sobredosis"),
	RISK(O, 0, "sobredosis a+proposito|adrede|intencional"),
	RISK(O, 0, "no|ya+no me importa|importaria ~2 si|que ~3 muero|muera|despierte|despierto|sobredosis|vivo|pasa|mato"),
	RISK(O, 0, "me vale|valdria ~1 si ~2 muero|muera|despierto|despierte"),
	RISK(O, 0, "consumir|beber|tomar|meterme|drogarme|inyectarme|fumar|usar ~2 hasta ~1 morir|morirme|que+me+muera|no+despertar|reventar"),
	RISK(O, 0, "me+meti|meterme|me+voy+a+meter|voy+a+meter|me+meto todo lo+que+tengo|lo+que+tenia|$|de+una"),
	RISK(O, 0, "tome|tomarme|me+tome|trague|tragarme|me+trague|me+voy+a+tomar|voy+a+tomarme ~1 todas|todo|demasiadas|un+frasco|el+frasco|toda+la+caja ~2 pastillas|pildoras|medicinas|medicamentos|tabletas|frasco|pastas"),
	RISK(O, 0, "frasco entero"),
	RISK(O, 0, "todo el frasco"),
	RISK(O, 0, "guardando|juntando|acumulando|ahorrando|escondiendo ~2 pastillas|pildoras|medicinas|medicamentos|pastas"),

	/* ================= idioms (masks) ================= */
	IDIOM("dying to|for"),
	IDIOM("to die for"),
	IDIOM("die|died|dying|dies of|from ~1 laughter|laughing|embarrassment|boredom|shame|cuteness|jealousy|curiosity|hunger|thirst|heat|cold|fright|envy"),
	IDIOM("died|dying|die laughing"),
	IDIOM("die trying"),
	IDIOM("kill|killed|killing|kills for|it|time|the+lights|two+birds|the+vibe|the+mood|the+game"),
	IDIOM("killing|kill|kills me softly"),
	IDIOM("kill|killed|killing|kills myself laughing|trying|working|studying|over|to+get|to+finish|at+work|at+the+gym|for"),
	IDIOM("bored|scared|sick|worried|tired|frozen|freezing|stressed to death"),
	IDIOM("shoot|shot|shooting myself in the foot"),
	IDIOM("cut|cutting myself shaving|cooking|chopping|on|while|slack|some|a+break|off|by+accident|accidentally"),
	IDIOM("hurt|hurting|harm|injured|injure myself at|lifting|playing|running|falling|on|in|while|during|working|training|exercising|skiing|doing|by+accident|accidentally"),
	IDIOM("not going to lie"),
	IDIOM("dont|didnt get me wrong"),
	IDIOM("dont [even] know"),
	IDIOM("no doubt|idea|offense|offence|matter|joke|problem|worries"),
	IDIOM("never mind"),
	IDIOM("not to mention"),
	IDIOM("suicide squad|mission|prevention|awareness|hotline|lifeline|run|doors|rates|rate|statistics"),
	IDIOM("prevention|awareness of|about|on ~1 suicide|overdose|overdoses"),
	IDIOM("overdose|overdoses prevention|awareness|training|reversal|kit|kits|vigil|memorial|deaths|death|crisis|epidemic|data|rates|response|rescue"),
	IDIOM("od|overdose|overdosing|overdosed on chocolate|sugar|coffee|caffeine|netflix|tv|cuteness|candy|cake|sweets|love"),
	IDIOM("live forever|in|with|without|near|there|here|alone|at|by|abroad|together|next|close|far|like+that|up|it+up"),
	IDIOM("life back|around|together|in+order"),
	IDIOM("end it with"),
	/* Spanish idioms */
	IDIOM("muero|muere|moria|morir|morirme|muriendo|mori|muerto|muerta|muertos|muertas|muera|morire|morimos de ~1 ganas|hambre|risa|sueno|frio|calor|verguenza|amor|aburrimiento|nervios|sed|envidia|miedo|cansancio|pena|celos|curiosidad|gusto|emocion|ansias|alegria"),
	IDIOM("muero|muriendo|moria|morir|morirme por ~1 ver|verlos|verlas|verte|saber|ir|conocer|llegar|comer|probar|tener|que"),
	IDIOM("de muerte"),
	IDIOM("mata|matan|matando|mataste|mato|matar|matarme estudiando|trabajando|de+risa|haciendo|limpiando|entrenando|en+el+gym|en+el+trabajo|el+tiempo"),
	IDIOM("cort*|me+corte|me+corto el|las+unas|las+puntas|afeit*|rasur*|cocinando|picando|con+el+papel|con+un+papel"),
	IDIOM("colg*|colgarme el|la|un|una|mochila|bolsa|telefono"),
	IDIOM("lastim* en|jugando|corriendo|entrenando|levantando|cayendo|sin+querer"),
	IDIOM("tiro en el pie"),
	IDIOM("vivir sin|con|en|cerca|lejos|aqui|alla|ahi|solo|sola|para+siempre|mejor|bien|juntos|tranquilo|tranquila"),
	IDIOM("no voy a mentir|mentirte|mentirles"),
	IDIOM("no se"),
	IDIOM("no puedo|pude dejar|parar de"),
	IDIOM("no dejo|paro de"),
	IDIOM("ni modo"),
	IDIOM("no manches|mames|inventes|importa"),
	IDIOM("escuadron|mision|brigada suicida"),
	IDIOM("prevencion|concienciacion|concientizacion ~2 suicidio|sobredosis"),

	/* ================= distant past (sentence) ================= */
	PAST("years|months|year|month|decade|decades|long+time|lifetime ago"),
	PAST("years|months back"),
	PAST("used to"),
	PAST("back then|when|in+the+day"),
	PAST("in the past"),
	PAST("in|during my ~1 addiction|drinking+days|using+days|drinking|using|first+year|early+recovery|active+addiction"),
	PAST("when i ~1 was|were ~1 using|drinking|younger|a+kid|a+teen|a+teenager|teenager|in+active|still+using|still+drinking|high|sick|homeless|in+jail|in+my+addiction|at+rock+bottom"),
	PAST("before i ~1 got|was|came|found|went ~1 sober|clean|help|recovery|treatment|the+program|rehab"),
	PAST("before recovery|treatment|sobriety|rehab|getting+sober|getting+clean"),
	PAST("at my lowest|worst|bottom|rock+bottom"),
	PAST("my first year"),
	PAST("last year"),
	PAST("as a teen|teenager|kid|child"),
	PAST("in high+school|college"),
	PAST("hace ~2 ano|anos|mes|meses|tiempo|decada|decadas"),
	PAST("solia|solian|solias"),
	PAST("en aquel|ese|esos|aquellos entonces|tiempo|tiempos|epoca|dias|anos"),
	PAST("en el pasado"),
	PAST("el ano pasado"),
	PAST("antes de ~2 estar|entrar|la+recuperacion|dejar|llegar|conocer|empezar|mi+recuperacion|rehabilitacion|tratamiento|sobrio|sobria"),
	PAST("cuando ~1 bebia|consumia|tomaba|era|estaba|usaba|drogaba|andaba|vivia|tenia"),
	PAST("en mi ~1 adiccion|peor+momento|primer+ano|consumo|fondo"),
	PAST("de joven|adolescente|nino|nina|chico|chica"),
	PAST("mi primer ano"),

	/* ================= happening now (clause) ================= */
	RECENT("now|tonight|today|again|still|lately|currently|yesterday"),
	RECENT("these days"),
	RECENT("this week|morning|afternoon|evening"),
	RECENT("last night"),
	RECENT("ahora|ahorita|hoy|anoche|ayer|todavia|aun|ultimamente|actualmente"),
	RECENT("otra vez"),
	RECENT("de nuevo"),
	RECENT("esta noche|manana|semana|tarde"),
	RECENT("estos dias"),

	/* ================= it has passed (sentence) ================= */
	RESOLVED("thoughts|urges|feelings|urge|cravings|voices ~3 gone|passed|went+away|faded|disappeared|stopped|over"),
	RESOLVED("now theyre|they+are gone"),
	RESOLVED("pensamientos|ideas|ganas ~3 se+fueron|pasaron|desaparecieron|quedaron+atras|se+me+pasaron|se+me+quitaron"),
	RESOLVED("ya se fueron|pasaron|desaparecieron"),
	RESOLVED("ya se me pasaron|quitaron"),

	/* ================= comings and goings (sentence) ================= */
	LOGISTICS("see+you|see+ya|cya|next|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|meeting|meetings|group|class|work|shift|appointment|vacation|trip|moving|travel*|early|weekend|ttyl"),
	LOGISTICS("nos+vemos|hasta+luego|hasta+manana|hasta+pronto|hasta+el|hasta+la|proxima|manana|lunes|martes|miercoles|jueves|viernes|sabado|domingo|reunion|reuniones|grupo|trabajo|viaje|vacaciones|temprano|mudo|mudanza|cita|clase|turno"),

	/* ================= songs: quoted words do not count ================= */
	MUSIC("song|songs|lyric|lyrics|singing|sing|sang|listening|album|playlist|band|concert|karaoke|track"),
	MUSIC("cancion|canciones|letra|cantando|cantar|escuchando|disco|banda|concierto|rola"),
};

const size_t crisis_rules_count = sizeof(crisis_rules) / sizeof(crisis_rules[0]);

const char *const crisis_negators[] = {
	"not", "never", "no", "dont", "doesnt", "didnt", "wont", "wouldnt", "isnt", "arent",
	"wasnt", "werent", "havent", "hasnt", "hadnt", "shouldnt", "nor", "neither",
	"nunca", "jamas", "tampoco", "ni",
	NULL,
};

const char *const crisis_first_person[] = {
	"i", "im", "ive", "id", "ill", "me", "my", "myself", "mine",
	"yo", "mi", "mis", "conmigo",
	NULL,
};

const char *const crisis_third_person[] = {
	"he", "she", "they", "hes", "shes", "theyre", "theyve", "theyd", "hed", "him", "her",
	"them", "his", "their", "friend", "friends", "brother", "sister", "cousin", "mom", "dad",
	"mother", "father", "son", "daughter", "sponsee", "sponsor", "uncle", "aunt", "husband",
	"wife", "boyfriend", "girlfriend", "someone", "somebody", "who", "people", "character",
	"nephew", "niece", "grandma", "grandpa", "patient", "client", "neighbor", "roommate",
	"coworker",
	NULL,
};

const char *const crisis_clause_words[] = {
	"and", "but", "because", "cause", "though", "although", "or",
	"y", "e", "pero", "porque", "aunque", "sino", "pues", "o",
	NULL,
};
