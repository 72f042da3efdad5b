"""Text of the demo site: sections, tags, authors and stories.

Written for Newsdesk's demo; people, clubs, parties and quotes are invented.
``load_demo`` turns this into database rows. Story ages are relative to the
moment of loading, so a fresh demo always looks like today's paper.
"""

from datetime import timedelta

SECTIONS = [
    {
        "slug": "world",
        "name": "World",
        "description": "International news, diplomacy and conflict.",
        "order": 1,
        "palette": [(14, 40, 70), (38, 110, 150), (232, 196, 120)],
        "motif": "globe",
    },
    {
        "slug": "politics",
        "name": "Politics",
        "description": "Parliament, parties, elections and the people who run things.",
        "order": 2,
        "palette": [(60, 20, 30), (150, 60, 60), (240, 225, 200)],
        "motif": "columns",
    },
    {
        "slug": "business",
        "name": "Business",
        "description": "Markets, companies, jobs and the cost of living.",
        "order": 3,
        "palette": [(10, 50, 40), (30, 120, 90), (220, 240, 200)],
        "motif": "chart",
    },
    {
        "slug": "sci-tech",
        "name": "Sci-Tech",
        "description": "Science, space, health research and technology.",
        "order": 4,
        "palette": [(20, 10, 50), (70, 50, 140), (180, 230, 255)],
        "motif": "orbits",
    },
    {
        "slug": "sport",
        "name": "Sport",
        "description": "Football, cricket, tennis, athletics and the business of sport.",
        "order": 5,
        "palette": [(20, 70, 30), (60, 150, 70), (250, 250, 240)],
        "motif": "track",
    },
    {
        "slug": "culture",
        "name": "Culture",
        "description": "Film, music, books, theatre and museums.",
        "order": 6,
        "palette": [(90, 10, 40), (200, 80, 60), (255, 220, 150)],
        "motif": "stage",
    },
]

TAGS = {
    "artificial-intelligence": "Artificial intelligence",
    "athletics": "Athletics",
    "books": "Books",
    "cities": "Cities",
    "climate": "Climate",
    "cricket": "Cricket",
    "cybersecurity": "Cybersecurity",
    "diplomacy": "Diplomacy",
    "education": "Education",
    "elections": "Elections",
    "energy": "Energy",
    "film": "Film",
    "football": "Football",
    "health": "Health",
    "housing": "Housing",
    "inflation": "Inflation",
    "migration": "Migration",
    "music": "Music",
    "space": "Space",
    "tennis": "Tennis",
    "trade": "Trade",
    "transparency": "Transparency",
    "transport": "Transport",
    "water": "Water",
}

PORTRAIT_PALETTES = [
    [(30, 60, 90), (90, 140, 180), (240, 210, 170)],
    [(70, 40, 30), (170, 110, 80), (250, 235, 215)],
    [(30, 70, 60), (100, 160, 140), (235, 240, 220)],
    [(60, 40, 80), (140, 110, 170), (245, 225, 235)],
]

AUTHORS = [
    {
        "slug": "maya-okafor",
        "name": "Maya Okafor",
        "kind": "person",
        "portrait": True,
        "bio": "Maya Okafor is our diplomatic correspondent. She has reported from summits and peace talks "
        "on four continents and still prefers a notebook to a recorder.",
    },
    {
        "slug": "tomasz-wielgosz",
        "name": "Tomasz Wielgosz",
        "kind": "person",
        "portrait": True,
        "bio": "Tomasz Wielgosz is political editor. He has covered five general elections and more "
        "all-night budget sittings than he cares to count.",
    },
    {
        "slug": "priya-raman",
        "name": "Priya Raman",
        "kind": "person",
        "portrait": True,
        "bio": "Priya Raman writes about the economy, from interest rates to the price of bread. "
        "Before journalism she spent six years as a bank analyst.",
    },
    {
        "slug": "daniel-achterberg",
        "name": "Daniel Achterberg",
        "kind": "person",
        "portrait": True,
        "bio": "Daniel Achterberg reports on science and technology. He trained as a physicist and "
        "is happiest explaining why an experiment did not work.",
    },
    {
        "slug": "lucia-ferrer",
        "name": "Lucía Ferrer",
        "kind": "person",
        "portrait": True,
        "bio": "Lucía Ferrer is chief sports writer. She covers football in winter, cricket in summer "
        "and athletics whenever anyone lets her.",
    },
    {
        "slug": "hamid-qureshi",
        "name": "Hamid Qureshi",
        "kind": "person",
        "bio": "Hamid Qureshi is arts editor and film critic. He reviews around two hundred films a year "
        "and reads the credits to the end.",
    },
    {
        "slug": "grace-lindqvist",
        "name": "Grace Lindqvist",
        "kind": "person",
        "portrait": True,
        "bio": "Grace Lindqvist covers climate and the environment. She has reported from glaciers, "
        "deltas and a great many conference centres.",
    },
    {
        "slug": "samuel-otieno",
        "name": "Samuel Otieno",
        "kind": "person",
        "bio": "Samuel Otieno is our East Africa correspondent, based in Nairobi.",
    },
    {
        "slug": "elena-marchetti",
        "name": "Elena Marchetti",
        "kind": "person",
        "bio": "Elena Marchetti is a data reporter. She turns spreadsheets, court filings and freedom of "
        "information replies into stories.",
    },
    {
        "slug": "news-desk",
        "name": "News Desk",
        "kind": "desk",
        "bio": "Stories written and edited by the newsroom's duty editors.",
    },
    {
        "slug": "our-correspondent",
        "name": "Our Correspondent",
        "kind": "desk",
        "bio": "Reporting from our network of correspondents, who are not named for their safety or at their request.",
    },
    {"slug": "afp", "name": "AFP", "kind": "agency", "bio": "Agence France-Presse, international news agency."},
    {"slug": "reuters", "name": "Reuters", "kind": "agency", "bio": "Reuters, international news agency."},
]

WORLD = [
    {
        "slug": "river-nations-agree-to-share-drought-data",
        "section": "world",
        "headline": "Six river nations agree to share drought data in landmark accord",
        "standfirst": "Governments along the basin will pool gauge readings and dam releases in real time, "
        "after two dry seasons left fishing towns stranded on mudflats.",
        "authors": ["maya-okafor", "reuters"],
        "tags": ["water", "climate", "diplomacy"],
        "ago": timedelta(hours=2),
        "featured": True,
        "photo": {
            "caption": "Fishing boats rest on exposed mud near the river's delta during the dry season.",
            "credit": "REUTERS",
            "alt_text": "Wooden fishing boats lying on cracked mud beside a shrunken river channel",
        },
        "also_read": [("southern-europe-heatwave-breaks-records", 3)],
        "body": """
<p>Six countries that share one of Asia's longest rivers signed an agreement on Tuesday to exchange
water-level readings and dam release schedules in real time, the first binding deal of its kind in a
basin where upstream dams have long been blamed for downstream shortages.</p>
<p>The accord, reached after three days of talks, commits each government to publish readings from
its main gauging stations every six hours and to give neighbours 48 hours' notice before opening or
closing large reservoirs.</p>
<p>Delegates said the breakthrough came after the commission's secretariat offered to host the data
on neutral servers, easing fears that any one country could edit the record.</p>
<h2>Two dry years</h2>
<p>The deal follows two seasons in which the river fell to its lowest levels in six decades. Rice
farmers in the delta reported saltwater pushing 60 kilometres inland, and ferry services between
riverside towns were suspended for weeks.</p>
<blockquote>We cannot make it rain, but we can stop surprising each other. That alone will save
harvests. <cite>Commission secretary-general Anan Rattanakorn</cite></blockquote>
<p>Environmental groups welcomed the data-sharing but said the agreement was silent on how much water
each country may hold back. Talks on allocation are due to resume next year.</p>
""",
    },
    {
        "slug": "ceasefire-talks-resume-in-geneva",
        "section": "world",
        "headline": "Ceasefire talks resume in Geneva as aid convoys wait at the border",
        "standfirst": "Negotiators returned to the table after a two-week pause, with humanitarian access "
        "at the top of the agenda.",
        "authors": ["maya-okafor"],
        "tags": ["diplomacy", "migration"],
        "ago": timedelta(days=3, hours=5),
        "comments_open": False,
        "photo": {
            "caption": "Delegates arrive at the Palais des Nations for the resumed talks.",
            "credit": "AFP",
            "alt_text": "People in dark coats walking up a wide flight of steps towards a stone building",
        },
        "also_read": [("un-refugee-agency-warns-of-funding-gap", 2)],
        "body": """
<p>GENEVA — Indirect talks aimed at a lasting ceasefire resumed on Monday, with mediators shuttling
between delegations housed on separate floors of the same hotel.</p>
<p>A mediator close to the process said the first day was devoted almost entirely to opening two
crossings for aid lorries, more than 300 of which have been waiting on the border for over a week.</p>
<p>Neither side has agreed to meet face to face. Officials described the mood as "businesslike",
which one diplomat translated as "nobody walked out".</p>
<h2>What is on the table</h2>
<ul>
<li>A 72-hour humanitarian pause, renewable by mutual notice</li>
<li>Monitored corridors for aid and for civilians leaving the front line</li>
<li>An exchange of detainees, starting with the wounded and the elderly</li>
</ul>
<p>Aid agencies said that even a short pause would allow them to restock field hospitals that have
been running on generators and donated fuel.</p>
<p>The talks are expected to continue through the week. Comments are closed on this story because of
the sensitivity of the negotiations.</p>
""",
    },
    {
        "slug": "solar-microgrids-bring-night-clinics-to-sahel",
        "section": "world",
        "headline": "Solar microgrids bring night-time clinics to remote Sahel villages",
        "standfirst": "Nurses who once delivered babies by torchlight now have lights, fridges for vaccines "
        "and a phone signal that lasts past sunset.",
        "authors": ["samuel-otieno"],
        "tags": ["energy", "health", "climate"],
        "ago": timedelta(days=9, hours=3),
        "photo": {
            "caption": "A health worker checks a vaccine fridge powered by a village solar array.",
            "credit": "Staff photographer",
            "alt_text": "A woman in a headscarf opening a small white refrigerator inside a clinic room",
        },
        "body": """
<p>When the sun goes down in the villages along the old caravan road, the clinic used to close with
it. For the past eight months, a fenced square of solar panels and a shipping container full of
batteries has kept the lights on.</p>
<p>The microgrid is one of 46 installed across the region by a partnership of local co-operatives and
a development bank. Each supplies a clinic, a school and a handful of shops, and sells the surplus to
households on prepaid meters.</p>
<p>"Before, if a woman went into labour at night, we worked with a torch between our teeth," said
Aïssata Coulibaly, a midwife who has worked at the clinic for eleven years. "Now I can see what I am
doing, and the baby can see me."</p>
<h2>Keeping vaccines cold</h2>
<p>Health officials say the biggest change is invisible: vaccines that must stay between two and eight
degrees no longer have to be fetched from the district town on the morning they are used. Coverage
for childhood measles shots in the area has risen by a third.</p>
<p>The co-operatives are paying back part of the cost from electricity sales. Maintenance remains the
weak point; batteries need replacing after about eight years, and the partnership has not yet said
who will pay for that.</p>
""",
    },
    {
        "slug": "southern-europe-heatwave-breaks-records",
        "section": "world",
        "headline": "Southern Europe swelters as heatwave breaks 40-year records",
        "standfirst": "Temperatures passed 44C in several inland cities, and authorities closed outdoor "
        "worksites in the afternoon.",
        "authors": ["afp"],
        "tags": ["climate", "health"],
        "ago": timedelta(days=14, hours=7),
        "photo": {
            "caption": "Tourists shelter under misting fans in a city square at midday.",
            "credit": "AFP",
            "alt_text": "People standing under a canopy as fine water spray drifts from overhead fans",
        },
        "body": """
<p>A heatwave gripping southern Europe broke temperature records on Thursday in more than a dozen
weather stations, some of which had held their previous highs since the early 1980s.</p>
<p>Meteorologists said a dome of high pressure had trapped hot air over the region for nine days and
was unlikely to shift before the weekend.</p>
<p>Several regional governments ordered building sites, farms and delivery firms to stop outdoor work
between 2pm and 6pm, and extended opening hours at public libraries and shopping centres so people
could shelter in air conditioning.</p>
<h2>Hospitals under strain</h2>
<p>Emergency departments reported a rise in admissions of elderly people with dehydration. Health
officials urged families to check on older relatives twice a day and to keep curtains closed during
daylight.</p>
<p>Firefighters were tackling wildfires on three islands, where strong winds made it impossible to use
water-bombing aircraft for part of the day.</p>
""",
    },
    {
        "slug": "un-refugee-agency-warns-of-funding-gap",
        "section": "world",
        "headline": "UN refugee agency warns of widest funding gap in a decade",
        "standfirst": "Donor pledges cover less than half of this year's appeal, forcing cuts to food "
        "rations in camps that house millions.",
        "authors": ["reuters"],
        "tags": ["migration", "diplomacy"],
        "ago": timedelta(days=21, hours=2),
        "photo": {
            "caption": "Families queue for food rations at a camp distribution point.",
            "credit": "REUTERS",
            "alt_text": "A long line of people holding empty sacks waiting beside a fence",
        },
        "body": """
<p>The United Nations refugee agency said on Wednesday that it had received just 43 percent of the
money it needs this year, the widest gap between needs and funding it has recorded in a decade.</p>
<p>The shortfall has already led to cuts in monthly food rations in several of the largest camps,
where families now receive about two-thirds of the recommended daily calories.</p>
<blockquote>Every percentage point of this gap is a child who goes to bed hungry or a school that does
not open. <cite>An agency spokesperson</cite></blockquote>
<p>The number of people forced from their homes by conflict, persecution and disasters has risen for
twelve consecutive years. Rising costs for shipping and fuel have made each aid parcel more
expensive to deliver.</p>
<p>The agency called on governments to honour pledges made at a donor conference in the spring, and
on private companies to fund education and job training in host countries.</p>
""",
    },
    {
        "slug": "nairobi-commuter-rail-extension-opens",
        "section": "world",
        "headline": "Nairobi commuter rail extension opens to crowds on first morning",
        "standfirst": "The new line cuts a two-hour bus ride from the eastern suburbs to 35 minutes, if "
        "passengers can squeeze on board.",
        "authors": ["samuel-otieno", "our-correspondent"],
        "tags": ["transport", "cities"],
        "ago": timedelta(days=33, hours=9),
        "photo": {
            "caption": "Commuters board a train on the new line's opening morning.",
            "credit": "Staff photographer",
            "alt_text": "A crowded station platform with passengers stepping into a blue and white train",
        },
        "body": """
<p>NAIROBI — Thousands of commuters packed the platforms of the city's new eastern rail line on its
first morning of service on Monday, with some trains leaving stations so full that staff had to hold
the doors.</p>
<p>The 18-kilometre extension links three fast-growing suburbs to the central station, where
passengers can change to existing lines. Fares were set at the same level as a matatu minibus ride.</p>
<p>"Two hours in traffic, every day, for nine years," said Wanjiru Kamau, a hospital cleaner, as she
stepped off at the terminus. "Today I am early. I do not know what to do with myself."</p>
<h2>Capacity questions</h2>
<p>The rail operator said it would add two more trains at peak hours by the end of the month, once
drivers completed their training. Transport analysts warned that demand could outstrip the line's
capacity within a year unless the city builds feeder bus routes and park-and-ride sites.</p>
<p>The project was financed by a mix of public borrowing and a concessional loan, and its cost has
been questioned by opposition politicians. The government says fares and reduced congestion will
repay it within twenty years.</p>
""",
    },
    {
        "slug": "arctic-states-extend-fishing-moratorium",
        "section": "world",
        "headline": "Arctic states extend fishing moratorium as sea ice retreats",
        "standfirst": "No commercial fishing will be allowed in the central Arctic Ocean until scientists "
        "know what lives there, the signatories agreed.",
        "authors": ["grace-lindqvist"],
        "tags": ["climate", "diplomacy"],
        "ago": timedelta(days=47, hours=4),
        "photo": {
            "caption": "Broken sea ice in the central Arctic Ocean, seen from a research vessel.",
            "credit": "REUTERS",
            "alt_text": "Flat white plates of ice floating on dark water under a grey sky",
        },
        "body": """
<p>Countries bordering the Arctic Ocean, joined by the world's largest fishing nations, have agreed to
extend a ban on commercial fishing in the high seas around the North Pole for another sixteen
years.</p>
<p>The original moratorium was signed as a precaution, before any fishing fleet had ventured that far
north. As summer ice shrinks, the open water it leaves behind has become reachable for part of the
year.</p>
<p>Scientists from the signatory countries will run a joint survey programme to map fish stocks and
the food webs that sustain them. A decision on whether any fishing could be sustainable will be
taken only once that research is published.</p>
<h2>A rare precaution</h2>
<p>Conservation groups called it one of the few international agreements that acts before a problem
rather than after. "Usually we regulate a fishery once it has collapsed," said marine biologist
Ingrid Solberg. "Here the nets have not even been wet."</p>
<p>Read the <a href="https://www.example.org/arctic-fisheries-agreement">text of the agreement</a>
published by the signatories.</p>
""",
    },
]

POLITICS = [
    {
        "slug": "coalition-survives-budget-vote",
        "section": "politics",
        "headline": "Coalition survives budget vote after late-night concessions",
        "standfirst": "The government won by eleven votes once ministers agreed to delay a fuel duty rise "
        "and find more money for rural schools.",
        "authors": ["tomasz-wielgosz", "elena-marchetti"],
        "tags": ["inflation", "education", "housing"],
        "ago": timedelta(hours=5),
        "featured": True,
        "photo": {
            "caption": "The finance minister leaves the chamber after the vote shortly before 2am.",
            "credit": "Staff photographer",
            "alt_text": "A man in a grey suit carrying a red folder walks through a wood-panelled corridor",
        },
        "also_read": [("housing-bill-would-cap-rent-rises", 2), ("free-school-meals-for-all-primary-pupils", 3)],
        "body": """
<p>The coalition government passed its budget in the early hours of Wednesday, by 168 votes to 157,
after a day of negotiations in which the junior partner extracted two concessions in return for its
support.</p>
<p>The planned rise in fuel duty will be postponed until the autumn, and an extra allocation for
schools in rural districts will be paid for by trimming the defence equipment budget.</p>
<p>Finance Minister Pavel Hrubý told MPs the changes left the overall deficit target intact. "We have
moved money between drawers, not taken it out of the cupboard," he said.</p>
<h2>A coalition under strain</h2>
<p>The vote was the tightest since the coalition took office two years ago. Four backbenchers from the
larger party abstained, and two voted with the opposition against the housing measures tucked into
the finance bill.</p>
<p>Opposition leader Marta Szilágyi called the budget "a truce, not a plan" and said her party would
table amendments to every line of it in committee.</p>
<p>The budget now goes to the upper house, which can delay it by up to a month but cannot block it.</p>
""",
    },
    {
        "slug": "electoral-commission-proposes-postal-vote-overhaul",
        "section": "politics",
        "headline": "Electoral commission proposes overhaul of postal voting after delays",
        "standfirst": "Ballot papers would be printed regionally and voters could track them online, "
        "under plans put out for consultation.",
        "authors": ["elena-marchetti"],
        "tags": ["elections"],
        "ago": timedelta(days=4, hours=6),
        "photo": {
            "caption": "Postal ballots are sorted at a count centre during last year's election.",
            "credit": "Staff photographer",
            "alt_text": "Rows of white envelopes stacked in plastic trays on a long table",
        },
        "also_read": [("record-turnout-in-local-elections", 2)],
        "notes": [
            (
                "correction",
                "An earlier version of this story said the consultation runs for eight weeks. It runs for "
                "twelve weeks, until the end of the quarter.",
                6,
            )
        ],
        "body": """
<p>The electoral commission has proposed the biggest changes to postal voting in a generation, after
an estimated 41,000 ballots arrived too late to be counted at last year's general election.</p>
<p>Our analysis of the commission's figures shows that late ballots were concentrated in constituencies
served by a single central printing contract, where papers were dispatched an average of four days
after those printed elsewhere.</p>
<p>Under the proposals:</p>
<ul>
<li>ballot papers would be printed by regional contractors closer to voters;</li>
<li>every postal vote would carry a tracking code that voters could check online;</li>
<li>voters abroad could download and print their own ballot paper.</li>
</ul>
<p>The commission said it would also ask parliament to move the deadline for applying for a postal vote
two days earlier, giving printers more time.</p>
<p>The consultation runs for twelve weeks. The <a href="https://www.example.org/electoral-commission-consultation">
full proposals</a> are published on the commission's website.</p>
""",
    },
    {
        "slug": "housing-bill-would-cap-rent-rises",
        "section": "politics",
        "headline": "Housing bill would cap rent rises at inflation for three years",
        "standfirst": "Tenant groups call it overdue; landlords warn it will shrink the supply of homes to rent.",
        "authors": ["tomasz-wielgosz", "news-desk"],
        "tags": ["housing", "inflation", "cities"],
        "ago": timedelta(days=8, hours=2),
        "photo": {
            "caption": "Apartment blocks in the city's northern districts, where rents rose fastest last year.",
            "credit": "REUTERS",
            "alt_text": "Tall residential blocks with balconies lit by late afternoon sun",
        },
        "body": """
<p>Annual rent increases for existing tenants would be limited to the rate of consumer price inflation
for three years, under a bill published by the housing ministry on Monday.</p>
<p>The cap would apply to all private tenancies, but not to new lettings, where landlords could still
set the starting rent freely. Homes built after the law takes effect would be exempt for their first
ten years.</p>
<h2>Who gains, who loses</h2>
<p>Ministry estimates suggest around 1.2 million households would be covered. In the capital, where
rents rose by 14 percent last year, the average tenant would have saved roughly a month's rent under
the cap.</p>
<blockquote>A cap without new building is a queue with a ceiling. <cite>Landlords' association
chair Henrik Dahl</cite></blockquote>
<p>Tenant organisations said the exemption for new lettings would encourage landlords to push out
long-standing tenants, and asked for stronger protection against eviction.</p>
<p>The bill will have its first reading next week. Ministers hope to pass it before the summer recess.</p>
""",
    },
    {
        "slug": "record-turnout-in-local-elections",
        "section": "politics",
        "headline": "Record turnout in local elections as independents gain ground",
        "standfirst": "Almost six in ten voters went to the polls, and independent candidates won control "
        "of four city councils.",
        "authors": ["our-correspondent"],
        "tags": ["elections", "cities"],
        "ago": timedelta(days=16, hours=1),
        "photo": {
            "caption": "Counting staff tip out a ballot box shortly after polls closed.",
            "credit": "Staff photographer",
            "alt_text": "Two people emptying a black ballot box onto a table covered in folded papers",
        },
        "body": """
<p>Turnout in Sunday's municipal elections reached 58.7 percent, the highest since local councils
were given their current powers, according to provisional results.</p>
<p>Independent lists, many formed around single local issues such as bus routes, hospital closures
or a planned motorway, won majorities in four city councils and hold the balance of power in eleven
more.</p>
<p>Both main parties lost seats. The governing coalition's share of the vote fell by six points;
the main opposition party held steady in the cities but lost ground in small towns.</p>
<h2>"People came for the potholes"</h2>
<p>Political scientist Ilona Varga said the result reflected frustration with national politics more
than enthusiasm for any alternative. "People came for the potholes and the parking, and they voted
for whoever promised to fix them," she said.</p>
<p>Final results are due on Wednesday, once postal ballots have been counted.</p>
""",
    },
    {
        "slug": "watchdog-tells-ministers-to-publish-diaries",
        "section": "politics",
        "headline": "Transparency watchdog tells ministers to publish meeting diaries monthly",
        "standfirst": "At present ministers disclose their meetings with lobbyists every quarter, often "
        "months late and with vague descriptions.",
        "authors": ["elena-marchetti"],
        "tags": ["transparency"],
        "ago": timedelta(days=24, hours=8),
        "body": """
<p>Ministers should publish details of every meeting with lobbyists, companies and campaign groups
within a month, the public standards commissioner said on Thursday.</p>
<p>A review by the commissioner's office of the past two years of disclosures found that one in five
meetings was listed without a stated purpose, and that the average disclosure appeared 97 days after
the meeting took place.</p>
<p>Our own review of the same records found that meetings described only as "general discussion"
were most common at the transport and energy ministries.</p>
<h2>Recommendations</h2>
<ol>
<li>Publish meetings monthly, in a single searchable format.</li>
<li>Name every organisation present, not only the lead attendee.</li>
<li>State the subject in plain words: "general discussion" would no longer be allowed.</li>
</ol>
<p>The government said it would respond to the recommendations "in due course". Opposition parties
said they would make monthly publication a condition of supporting the next ethics bill.</p>
""",
    },
    {
        "slug": "free-school-meals-for-all-primary-pupils",
        "section": "politics",
        "headline": "Free school meals to be extended to all primary pupils",
        "standfirst": "The scheme will start in September and cost about 900 million a year, the education "
        "ministry said.",
        "authors": ["news-desk"],
        "tags": ["education", "health"],
        "ago": timedelta(days=38, hours=3),
        "photo": {
            "caption": "Pupils queue for lunch at a primary school that already offers free meals.",
            "credit": "Staff photographer",
            "alt_text": "Children holding trays lining up at a school canteen counter",
        },
        "body": """
<p>Every child in state primary schools will receive a free hot lunch from September, the education
minister announced on Tuesday, ending means-testing that campaigners said left many poorer families
out.</p>
<p>Around a third of primary pupils currently qualify for free meals. Charities estimate that a
further 200,000 children live in households that are poor but earn slightly too much to be
eligible.</p>
<p>The ministry said the scheme would cost roughly 900 million a year once fully running. Schools
without kitchens will receive grants to build or share them, and a nutrition standard will be
published in the spring.</p>
<p>Head teachers welcomed the move but warned that many canteens were already stretched. "We will need
more staff, more ovens and a longer lunch break," said one head in the northern town of Kelvale.</p>
""",
    },
    {
        "slug": "committee-demands-answers-over-council-cyber-attack",
        "section": "politics",
        "headline": "Parliament committee demands answers over council cyber-attack",
        "standfirst": "Residents' personal data may have been exposed for weeks before the breach was "
        "noticed, MPs were told.",
        "authors": ["tomasz-wielgosz"],
        "tags": ["cybersecurity", "cities"],
        "ago": timedelta(days=52, hours=6),
        "comments_open": False,
        "photo": {
            "caption": "The council's headquarters, where staff worked on paper for ten days after the attack.",
            "credit": "Staff photographer",
            "alt_text": "A modern glass office building with a council crest above the entrance",
        },
        "body": """
<p>The chair of parliament's digital affairs committee has written to the interior ministry demanding
to know why a city council did not report a cyber-attack for nineteen days.</p>
<p>Officials told the committee on Wednesday that attackers had access to the council's housing and
benefits systems from early in the month, and that the intrusion was discovered only when staff
could not open files on a Monday morning.</p>
<p>Names, addresses and in some cases bank details of about 80,000 residents may have been copied.
The council has written to all of them and set up a helpline.</p>
<h2>Rules for reporting</h2>
<p>Public bodies are required to report serious breaches to the national cyber centre within 72
hours. The committee wants to know whether that rule was broken and, if so, why.</p>
<p>A police investigation is under way. Comments are closed on this story for legal reasons.</p>
""",
    },
]

BUSINESS = [
    {
        "slug": "central-bank-holds-rates-signals-cut",
        "section": "business",
        "headline": "Central bank holds rates but signals a cut before summer",
        "standfirst": "Policymakers kept borrowing costs at 5.25 percent for a fourth meeting, while "
        "saying inflation is now falling faster than they expected.",
        "authors": ["priya-raman"],
        "tags": ["inflation"],
        "ago": timedelta(hours=7),
        "photo": {
            "caption": "The central bank's headquarters in the financial district.",
            "credit": "REUTERS",
            "alt_text": "A classical stone building with tall columns and a flag on its roof",
        },
        "also_read": [("supermarket-price-war-trims-grocery-inflation", 2)],
        "body": """
<p>The central bank left its main interest rate unchanged at 5.25 percent on Thursday but dropped
its warning that rates might need to rise again, a change markets read as the clearest hint yet of a
cut within months.</p>
<p>Seven of the nine members of the monetary policy committee voted to hold. Two voted for an
immediate quarter-point cut, the first dissent in that direction since rates began rising.</p>
<p>Consumer price inflation fell to 3.1 percent last month, from a peak of more than 10 percent, as
energy and food prices eased.</p>
<blockquote>The job is not done, but we can see the end of the road from here. <cite>Governor
Clara Lindahl</cite></blockquote>
<h2>What it means for borrowers</h2>
<p>Mortgage lenders have already begun trimming fixed-rate deals in anticipation. Brokers said the
average two-year fixed rate had fallen by about half a point since the start of the year.</p>
<p>Savers, meanwhile, were warned to expect lower returns. "Lock in now if you can," said one
personal finance adviser.</p>
""",
    },
    {
        "slug": "dockworkers-walk-out-over-port-automation",
        "section": "business",
        "headline": "Dockworkers walk out over port automation plan",
        "standfirst": "Container traffic at the country's busiest port ground to a halt as unions protested "
        "against plans for driverless cranes.",
        "authors": ["reuters", "priya-raman"],
        "tags": ["trade", "transport"],
        "ago": timedelta(days=2, hours=4),
        "photo": {
            "caption": "Idle gantry cranes at the container terminal on the first day of the strike.",
            "credit": "REUTERS",
            "alt_text": "Tall red cranes standing over stacks of shipping containers with no activity",
        },
        "body": """
<p>About 3,500 dockworkers began a 48-hour strike on Monday, halting container handling at the
country's largest port in protest at a plan to introduce remotely operated cranes and driverless
straddle carriers.</p>
<p>The port authority says automation is needed to compete with neighbouring hubs and that no
permanent employee will lose their job. Unions say the plan would cut around 600 positions over five
years through retirements that will not be replaced.</p>
<p>Shipping lines began diverting vessels to other ports within hours. Logistics firms warned of
delays to deliveries of car parts, electronics and fresh fruit.</p>
<h2>Talks planned</h2>
<p>The labour ministry has invited both sides to talks on Thursday. A union spokesman said further
strikes would follow unless the authority agreed to a joint committee on how the new equipment
would be staffed.</p>
""",
    },
    {
        "slug": "supermarket-price-war-trims-grocery-inflation",
        "section": "business",
        "headline": "Supermarket price war trims grocery inflation",
        "standfirst": "The four largest chains have cut prices on hundreds of staples, but suppliers say "
        "they are the ones paying for it.",
        "authors": ["priya-raman"],
        "tags": ["inflation"],
        "ago": timedelta(days=6, hours=5),
        "photo": {
            "caption": "Price promotion signs in a supermarket aisle.",
            "credit": "Staff photographer",
            "alt_text": "Shelves of tinned food with bright yellow price-cut labels",
        },
        "body": """
<p>Grocery price inflation slowed to 2.4 percent in the four weeks to Sunday, its lowest in almost
three years, as the biggest supermarket chains competed to win back shoppers who had defected to
discounters.</p>
<p>Industry data show that the price of a basket of thirty everyday items, from bread and eggs to
washing-up liquid, fell slightly for the second month in a row.</p>
<p>The cuts have been concentrated on own-label products and fresh produce, which shoppers notice
most. Prices of branded goods have continued to rise, though more slowly.</p>
<h2>Squeezed suppliers</h2>
<p>Farmers and food manufacturers say the chains are asking them to fund a large share of the
discounts. "The price on the shelf goes down, and then the phone rings," said a dairy co-operative
director, who asked not to be named because of ongoing contract talks.</p>
<p>Analysts expect the price war to last at least until the summer, when the chains report half-year
results.</p>
""",
    },
    {
        "slug": "battery-maker-picks-northern-town-for-gigafactory",
        "section": "business",
        "headline": "Battery maker picks northern town for $2bn gigafactory",
        "standfirst": "The plant will employ about 2,800 people and supply carmakers across the region "
        "from the end of next year.",
        "authors": ["priya-raman", "news-desk"],
        "tags": ["energy", "trade"],
        "ago": timedelta(days=12, hours=2),
        "photo": {
            "caption": "The former steelworks site where the battery plant will be built.",
            "credit": "Staff photographer",
            "alt_text": "A wide flat expanse of cleared industrial land with hills in the distance",
        },
        "also_read": [("copper-hits-record-high", 2), ("cold-climate-heat-pumps-pass-winter-test", 3)],
        "body": """
<p>A battery manufacturer has chosen the former steel town of Redmarsh for a $2bn factory producing
cells for electric cars, in the largest single industrial investment in the north for two decades.</p>
<p>The company said the site's grid connection, its rail link to two ports and the availability of
skilled workers from the closed steelworks had outweighed offers from two other countries.</p>
<p>The government will contribute about 300 million in grants and tax relief, a figure the opposition
said should have been tied to firmer guarantees on local hiring.</p>
<h2>From steel to cells</h2>
<p>Redmarsh lost almost 4,000 jobs when its blast furnaces closed eleven years ago. Unemployment
there remains nearly twice the national average.</p>
<p>"My grandfather made steel on this ground, my father watched it close, and my daughter might make
batteries on it," said Jan Kowalczyk, a councillor who worked at the steelworks until its final
shift.</p>
<p>Construction is due to begin in the spring. The company expects the first cells to leave the plant
within eighteen months.</p>
""",
    },
    {
        "slug": "late-payments-push-small-firms-to-the-brink",
        "section": "business",
        "headline": "Late payments push small firms to the brink, survey finds",
        "standfirst": "Almost half of small businesses say a big customer has paid them late this year, "
        "and one in ten says it has nearly gone under as a result.",
        "authors": ["elena-marchetti"],
        "tags": ["inflation"],
        "ago": timedelta(days=19, hours=6),
        "body": """
<p>Small companies are owed an average of 23,000 in overdue invoices, according to a survey of 2,100
firms published on Monday by the federation representing them.</p>
<p>Forty-six percent said at least one large customer had paid them later than agreed in the past
twelve months. Among builders and IT contractors, the figure was more than sixty percent.</p>
<p>The federation's figures suggest the problem has worsened as interest rates rose: large companies,
facing higher borrowing costs themselves, have been holding on to cash for longer.</p>
<h2>Calls for a code with teeth</h2>
<p>A voluntary code on prompt payment has existed for a decade. The federation wants it replaced by a
legal maximum of 30 days, with automatic interest on late invoices.</p>
<p>The economy ministry said it was "looking closely" at the findings and would consult on tougher
rules later this year.</p>
""",
    },
    {
        "slug": "airlines-add-fuel-surcharges",
        "section": "business",
        "headline": "Airlines add fuel surcharges as jet fuel climbs",
        "standfirst": "Passengers on long-haul routes could pay up to 60 more per return ticket, as "
        "carriers pass on a 20 percent rise in fuel costs.",
        "authors": ["afp"],
        "tags": ["energy", "transport"],
        "ago": timedelta(days=29, hours=3),
        "photo": {
            "caption": "A passenger jet is refuelled at the international airport.",
            "credit": "AFP",
            "alt_text": "A fuel truck parked beside the wing of a white aircraft on the apron",
        },
        "body": """
<p>Several large airlines said on Friday they would add or raise fuel surcharges on tickets sold from
next month, after the price of jet fuel rose by about a fifth since the start of the year.</p>
<p>Surcharges will range from around 10 on short flights to as much as 60 on a long-haul return
ticket, depending on the carrier and the route.</p>
<p>Fuel typically accounts for between a quarter and a third of an airline's operating costs. Carriers
that bought fuel in advance at lower prices, a practice known as hedging, said they would not add
surcharges for now.</p>
<p>Consumer groups said surcharges made it harder to compare fares and urged airlines to include them
in the headline price.</p>
""",
    },
    {
        "slug": "copper-hits-record-high",
        "section": "business",
        "headline": "Copper hits record high on grid and data-centre demand",
        "standfirst": "The metal that carries electricity is in short supply as power networks, electric "
        "cars and server farms all want more of it.",
        "authors": ["reuters"],
        "tags": ["trade", "energy", "artificial-intelligence"],
        "ago": timedelta(days=44, hours=5),
        "photo": {
            "caption": "Copper cathodes stacked at a refinery warehouse.",
            "credit": "REUTERS",
            "alt_text": "Stacks of flat reddish-brown metal sheets bound with steel straps",
        },
        "body": """
<p>Copper prices rose to a record on Tuesday, passing 11,000 dollars a tonne on the London Metal
Exchange, as traders bet that mine supply would not keep up with demand from power grids and data
centres.</p>
<p>Electricity networks are being expanded to connect wind and solar farms, and each electric car uses
roughly three to four times as much copper as one with a petrol engine.</p>
<p>Demand from data centres, which need vast amounts of cabling and cooling equipment to run
artificial intelligence systems, has added a new source of buying in the past year.</p>
<h2>Supply strains</h2>
<p>New mines take a decade or more to develop. Output from several large existing mines has fallen
because of ageing deposits, water shortages and protests by local communities.</p>
<p>Some analysts caution that high prices will eventually encourage recycling and substitution with
aluminium, but few expect a quick reversal.</p>
""",
    },
]

SCI_TECH = [
    {
        "slug": "private-lunar-lander-touches-down",
        "section": "sci-tech",
        "headline": "Private lunar lander touches down near the Moon's south pole",
        "standfirst": "The craft landed upright on its second attempt at a descent, and sent home its first "
        "pictures within the hour.",
        "authors": ["daniel-achterberg", "afp"],
        "tags": ["space"],
        "ago": timedelta(days=1, hours=2),
        "featured": True,
        "photo": {
            "caption": "Engineers watch the landing at the company's mission control.",
            "credit": "AFP",
            "alt_text": "A room of people at desks looking up at a large screen showing a grey lunar surface",
        },
        "also_read": [("satellite-maps-methane-leaks-from-space", 2)],
        "body": """
<p>A lander built by a private company touched down on the Moon on Tuesday, about 300 kilometres from
the south pole, becoming the first commercial craft to reach the region intact.</p>
<p>The four-legged lander, roughly the size of a small car, was carrying eleven instruments for space
agencies and universities, including a drill designed to look for ice in the top metre of soil.</p>
<p>The landing was delayed by a day after the craft's laser altimeter returned confusing readings on
its first descent. Controllers aborted, raised its orbit and tried again with a revised set of
parameters.</p>
<blockquote>We had one sensor telling us the ground was further away than it was. We decided to
believe the camera instead. <cite>Flight director Noor Haddad</cite></blockquote>
<h2>Why the south pole</h2>
<p>Craters near the lunar poles never see sunlight and are thought to hold water ice, which future
missions could turn into drinking water, oxygen and rocket fuel.</p>
<p>The lander is expected to operate for about twelve Earth days, until the lunar night falls and its
batteries run out.</p>
""",
    },
    {
        "slug": "hospitals-trial-ai-triage-tool",
        "section": "sci-tech",
        "headline": "Hospitals trial AI triage tool, with doctors keeping the final say",
        "standfirst": "The software ranks emergency patients by urgency. A two-year study will show "
        "whether it helps, or just adds another screen to watch.",
        "authors": ["daniel-achterberg"],
        "tags": ["artificial-intelligence", "health"],
        "ago": timedelta(days=5, hours=3),
        "photo": {
            "caption": "A triage nurse reviews a patient list in the emergency department.",
            "credit": "Staff photographer",
            "alt_text": "A nurse in blue scrubs looking at a computer monitor at a hospital desk",
        },
        "body": """
<p>Six hospitals will use an artificial intelligence system to help sort patients arriving in their
emergency departments, in a trial that researchers say is the largest of its kind so far.</p>
<p>The software reads the notes a nurse types at the front desk, together with vital signs such as
heart rate and blood oxygen, and suggests how quickly each patient should be seen. The nurse can
accept or overrule its suggestion.</p>
<p>Half of the departments will use the tool for the first year and the other half for the second,
so that researchers can compare waiting times, missed diagnoses and patient outcomes.</p>
<h2>Concerns about bias</h2>
<p>Patient groups have asked how the system was trained. Earlier triage tools elsewhere have been found
to underestimate how ill some patients were, because they learned from records that reflected past
unequal treatment.</p>
<p>The research team says it will publish results broken down by age, sex and ethnicity, and that an
independent board can stop the trial early. "If it makes things worse for anyone, we will see it,
and we will switch it off," said lead investigator Dr Amara Nwosu.</p>
""",
    },
    {
        "slug": "water-utility-restores-systems-after-ransomware",
        "section": "sci-tech",
        "headline": "Water utility restores systems after ransomware attack",
        "standfirst": "Drinking water was never at risk, the company says, but customers could not pay bills "
        "or report leaks for a week.",
        "authors": ["news-desk"],
        "tags": ["cybersecurity", "water"],
        "ago": timedelta(days=10, hours=4),
        "photo": {
            "caption": "The utility's treatment works on the edge of the city.",
            "credit": "Staff photographer",
            "alt_text": "Round concrete water tanks and pipework seen from above",
        },
        "also_read": [("committee-demands-answers-over-council-cyber-attack", 2)],
        "notes": [
            (
                "update",
                "The utility said on Friday evening that its billing system is also back online and that "
                "no customer will be charged late-payment fees for the period of the outage.",
                20,
            )
        ],
        "body": """
<p>A regional water company said on Thursday it had restored its customer service and maintenance
systems, a week after a ransomware attack forced it to switch off most of its computer network.</p>
<p>The company said the treatment plants that clean drinking water run on a separate control network,
which was not affected, and that water quality testing continued throughout.</p>
<p>The attackers encrypted office computers and demanded a payment in cryptocurrency. The company says
it did not pay, and rebuilt its systems from backups.</p>
<h2>What customers should do</h2>
<ul>
<li>Report leaks as usual by phone or online; the backlog is being cleared.</li>
<li>Be wary of emails or calls asking for bank details: the company never asks for them.</li>
<li>Check the <a href="https://www.example.org/water-utility-incident">incident page</a> for updates.</li>
</ul>
<p>The national cyber centre is helping with the investigation and said the group behind the attack
had targeted several utilities in the past year.</p>
""",
    },
    {
        "slug": "cold-climate-heat-pumps-pass-winter-test",
        "section": "sci-tech",
        "headline": "Cold-climate heat pumps pass a sub-Arctic winter test",
        "standfirst": "Units in 40 homes kept rooms at 21C through weeks of minus 25C, using about a third of "
        "the energy of electric heaters.",
        "authors": ["grace-lindqvist", "daniel-achterberg"],
        "tags": ["energy", "climate"],
        "ago": timedelta(days=17, hours=5),
        "photo": {
            "caption": "An outdoor heat pump unit covered in frost beside a timber house.",
            "credit": "Staff photographer",
            "alt_text": "A white metal box with a fan grille, dusted with snow, against a red wooden wall",
        },
        "body": """
<p>Heat pumps kept homes warm through one of the coldest winters on record in the far north, according
to a field study that monitored 40 houses for five months.</p>
<p>Outdoor temperatures dropped below minus 25C on 19 days. The heat pumps, which move heat from the
outside air into the house, maintained indoor temperatures of 21C throughout, though their efficiency
fell on the coldest days.</p>
<p>Averaged over the winter, the units delivered about three units of heat for every unit of
electricity they used, researchers said.</p>
<h2>Old assumptions</h2>
<p>"For years people told us heat pumps stop working when it is really cold," said project lead
Sigrid Aalto. "We put them where it is really cold. They did not stop."</p>
<p>The study found that installation mattered as much as the machine: units mounted where snow could
block their fans, or too close to a wall, performed noticeably worse.</p>
""",
    },
    {
        "slug": "satellite-maps-methane-leaks-from-space",
        "section": "sci-tech",
        "headline": "Satellite maps thousands of methane leaks from space",
        "standfirst": "A year of data from a new instrument shows that a small number of sites produce a "
        "large share of emissions, which makes them easier to fix.",
        "authors": ["grace-lindqvist", "reuters"],
        "tags": ["space", "climate", "energy"],
        "ago": timedelta(days=26, hours=2),
        "photo": {
            "caption": "An artist's impression of the methane-tracking satellite in orbit.",
            "credit": "Handout",
            "alt_text": "A box-shaped satellite with two solar panels above the curve of the Earth",
        },
        "body": """
<p>Scientists have published the first full year of data from a satellite built to spot methane
escaping from oil and gas fields, coal mines and landfill sites, identifying more than 4,000 large
plumes.</p>
<p>Methane traps far more heat than carbon dioxide over its first two decades in the atmosphere, so
cutting leaks is one of the quickest ways to slow warming.</p>
<p>The survey found that about one in twenty sites accounted for more than half of the methane
detected. Many of the largest plumes came from equipment that had simply been left venting.</p>
<p>The researchers have made the data public, and several regulators have said they will use it to
direct inspections.</p>
""",
    },
    {
        "slug": "quantum-sensors-could-steer-ships-without-gps",
        "section": "sci-tech",
        "headline": "Quantum sensors could steer ships when GPS is jammed",
        "standfirst": "A sea trial of an atom-based accelerometer kept a vessel within a few hundred metres "
        "of its true position over two days without satellite signals.",
        "authors": ["daniel-achterberg"],
        "tags": ["transport", "cybersecurity"],
        "ago": timedelta(days=36, hours=7),
        "photo": {
            "caption": "The research vessel that carried the quantum navigation system during sea trials.",
            "credit": "Staff photographer",
            "alt_text": "A small white ship with a blue hull sailing on calm grey sea",
        },
        "body": """
<p>Jamming and spoofing of satellite navigation signals have become a daily hazard for shipping and
aircraft in several regions. A team of physicists believes part of the answer lies in clouds of
atoms cooled to near absolute zero.</p>
<p>Their device measures how the ship accelerates and rotates by watching how the atoms fall inside a
vacuum chamber. From those measurements it works out how far the vessel has travelled, without any
signal from outside.</p>
<p>Conventional inertial navigation works in the same way but drifts by kilometres within hours. In
a 50-hour trial in the North Sea, the quantum system stayed within 400 metres of the ship's true
position.</p>
<h2>Still the size of a wardrobe</h2>
<p>The equipment fills two racks and needs careful handling. The team hopes to shrink it to the size
of a suitcase within five years, and says shipping companies and airlines have already asked to
take part in the next trials.</p>
""",
    },
    {
        "slug": "new-antibiotic-class-found-in-garden-soil",
        "section": "sci-tech",
        "headline": "Researchers find a new class of antibiotic in garden soil",
        "standfirst": "The compound killed drug-resistant bacteria in laboratory tests. Years of trials lie "
        "ahead before it could reach patients.",
        "authors": ["afp"],
        "tags": ["health"],
        "ago": timedelta(days=55, hours=3),
        "photo": {
            "caption": "Bacterial cultures in petri dishes at the university laboratory.",
            "credit": "AFP",
            "alt_text": "A gloved hand holding a petri dish with pale circular colonies",
        },
        "body": """
<p>Microbiologists have identified a previously unknown type of antibiotic produced by bacteria living
in an ordinary garden bed, and shown that it kills several strains resistant to existing drugs.</p>
<p>The team screened thousands of soil microbes that cannot normally be grown in a laboratory, using
a device that lets them multiply in their native soil while separated by a membrane.</p>
<p>The new compound attacks the bacterial cell wall in a way no approved antibiotic does, which the
researchers say should make resistance slower to develop.</p>
<p>"Soil has given us most of our antibiotics, and we thought we had found them all," said one of the
authors. "It turns out we had only looked at the bacteria that were easy to grow."</p>
<p>Tests in animals are due to begin next year. The researchers cautioned that most promising
compounds fail before reaching human trials.</p>
""",
    },
]

SPORT = [
    {
        "slug": "harbour-city-win-cup-final-with-late-header",
        "section": "sport",
        "headline": "Harbour City win cup final with stoppage-time header",
        "standfirst": "Centre-back Tobi Adeyemi rose highest in the 94th minute to end a 31-year wait for the trophy.",
        "authors": ["lucia-ferrer"],
        "tags": ["football"],
        "ago": timedelta(minutes=50),
        "featured": True,
        "photo": {
            "caption": "Harbour City players celebrate in front of their supporters after the final whistle.",
            "credit": "Staff photographer",
            "alt_text": "Footballers in sky-blue shirts jumping together in front of a packed stand",
        },
        "also_read": [("council-approves-riverside-stadium-plan", 3)],
        "body": """
<p>Harbour City won the national cup for the first time in 31 years on Saturday, beating Northgate
United 2-1 with a header from a corner in the fourth minute of stoppage time.</p>
<p>Tobi Adeyemi, a centre-back who had not scored all season, met Ilias Petrou's corner at the near
post and sent the ball into the roof of the net. Half of the stadium, it seemed, arrived on the
pitch a few minutes later.</p>
<p>Northgate had led at half-time through a Kasper Lund penalty, awarded after a long video review,
before substitute Dario Mensah equalised with a low shot from the edge of the area.</p>
<h2>A manager's gamble</h2>
<p>Harbour City's manager, Rosa Delgado, made three changes at half-time and switched to three at the
back. "We were not going to win it by waiting," she said. "Sometimes you have to open the window
and let the storm in."</p>
<ul>
<li>Harbour City: 31 years since their last cup</li>
<li>Northgate: third final defeat in five years</li>
<li>Attendance: 71,402</li>
</ul>
<p>Winning the cup gives Harbour City a place in next season's continental competition.</p>
""",
    },
    {
        "slug": "course-record-falls-at-city-marathon",
        "section": "sport",
        "headline": "Course record falls as Kiprono wins city marathon",
        "standfirst": "The 24-year-old ran the second half in under an hour to finish in 2:04:51, on a cool, "
        "still morning.",
        "authors": ["afp"],
        "tags": ["athletics"],
        "ago": timedelta(days=4, hours=2),
        "photo": {
            "caption": "The leading group passes the old harbour at the 30-kilometre mark.",
            "credit": "AFP",
            "alt_text": "A group of runners in bright vests running along a waterfront road",
        },
        "body": """
<p>Daniel Kiprono broke the city marathon's course record by more than a minute on Sunday, pulling
away from a pack of six runners after 32 kilometres and finishing alone in 2:04:51.</p>
<p>Conditions were close to ideal, with temperatures of 8C at the start and almost no wind.
Pacemakers took the leaders through halfway in 62:40, after which Kiprono ran the second half
considerably faster.</p>
<p>The women's race was won by Hana Bekele in 2:20:03, her first victory at the distance. She passed
the defending champion in the final two kilometres.</p>
<p>More than 38,000 runners started the race, a record for the event. Organisers said the last
finisher crossed the line just under seven and a half hours after the start.</p>
""",
    },
    {
        "slug": "spinners-put-hosts-on-course-for-series-win",
        "section": "sport",
        "headline": "Spinners put hosts on course for series win",
        "standfirst": "The visitors lost eight wickets for 61 runs on a turning pitch, and will need a "
        "record chase to level the series.",
        "authors": ["our-correspondent"],
        "tags": ["cricket"],
        "ago": timedelta(days=7, hours=6),
        "photo": {
            "caption": "The home side's leg-spinner appeals for a wicket on the third day.",
            "credit": "Staff photographer",
            "alt_text": "A cricketer in white with arms raised, shouting towards the umpire",
        },
        "body": """
<p>Two spinners shared eight wickets on the third day of the second Test, leaving the home side on the
brink of a series win with two days to play.</p>
<p>The visitors began the day well placed at 140 for two, before the last eight wickets fell for 61
runs in the afternoon session on a pitch that was turning sharply.</p>
<p>Leg-spinner Arjun Menon took five for 48, including three wickets in an over that changed the
match. "The ball was gripping and spitting," he said afterwards. "When it does that, you just keep
giving it air."</p>
<p>The hosts closed on 96 for three in their second innings, a lead of 312. No team has scored more
than 280 to win in the fourth innings at this ground.</p>
""",
    },
    {
        "slug": "teenage-qualifier-stuns-top-seed",
        "section": "sport",
        "headline": "Teenage qualifier stuns top seed in three sets",
        "standfirst": "Seventeen-year-old Mila Novak, ranked 212th in the world, came from a set down to "
        "reach the quarter-finals.",
        "authors": ["reuters"],
        "tags": ["tennis"],
        "ago": timedelta(days=13, hours=1),
        "body": """
<p>Mila Novak, a 17-year-old qualifier playing only her second tournament on the main tour, beat the
world number three 4-6, 6-3, 7-5 on Thursday to reach the quarter-finals.</p>
<p>Novak saved two match points at 4-5 in the final set with forehand winners down the line, then
broke serve in the next game when her opponent double-faulted.</p>
<p>"I was not thinking about who was on the other side of the net," Novak said. "I was thinking about
the ball. And a little bit about my mother, who said I must not shout at the umpire."</p>
<p>She will next play the eighth seed, who needed three hours to win her own match in the heat.</p>
""",
    },
    {
        "slug": "womens-league-attendances-double",
        "section": "sport",
        "headline": "Women's league attendances double in a single season",
        "standfirst": "Average crowds reached 6,800, with clubs moving bigger matches to their main "
        "stadiums and selling out.",
        "authors": ["lucia-ferrer"],
        "tags": ["football"],
        "ago": timedelta(days=22, hours=4),
        "photo": {
            "caption": "Supporters fill the main stand for a women's league match.",
            "credit": "Staff photographer",
            "alt_text": "A crowd of fans, many of them children, waving scarves in a stadium stand",
        },
        "body": """
<p>Average attendances in the women's top division have doubled this season, according to figures
released by the league, with several clubs selling out their main stadiums for the first time.</p>
<p>The average crowd is now 6,800, up from 3,300 last season. The highest, 41,000, came at a
derby played in Harbour City's home ground in March.</p>
<h2>What changed</h2>
<p>Clubs point to three things: matches moved to larger grounds at weekends, cheaper family tickets,
and a new broadcasting deal that put a game on free-to-air television every week.</p>
<p>"Girls come to one game, and then they bring their friends, and then their friends bring their
parents," said Northgate captain Ama Boateng. "It grows like that."</p>
<p>The league wants every club to have its own training facilities within three years. At present,
four still share pitches with men's youth teams.</p>
""",
    },
    {
        "slug": "council-approves-riverside-stadium-plan",
        "section": "sport",
        "headline": "Council approves riverside stadium plan despite objections",
        "standfirst": "Harbour City's 45,000-seat ground will be built on former docklands, with a new "
        "footbridge and no public car park.",
        "authors": ["lucia-ferrer", "news-desk"],
        "tags": ["football", "cities"],
        "ago": timedelta(days=31, hours=5),
        "photo": {
            "caption": "The derelict dockside warehouses that will make way for the new stadium.",
            "credit": "Staff photographer",
            "alt_text": "Empty brick warehouses with broken windows beside a wide river",
        },
        "body": """
<p>City councillors voted by 34 to 19 on Wednesday to approve Harbour City's plans for a 45,000-seat
stadium on the river's south bank, ending four years of consultation and redesigns.</p>
<p>The club, which has played at its current ground for more than a century, says the move will
allow it to double its season-ticket holders and host international matches.</p>
<p>Residents' groups objected to the loss of a wildlife corridor along the river and to the expected
crowds on match days. The approved plans include a new footbridge, extra trams and a ban on match-day
parking in surrounding streets.</p>
<p>The club will pay for the bridge and a riverside park. Building work is expected to take three
years.</p>
""",
    },
    {
        "slug": "anti-doping-agency-expands-testing",
        "section": "sport",
        "headline": "Anti-doping agency expands out-of-competition testing",
        "standfirst": "More athletes will be tested at home and at training camps, and samples will be "
        "stored for re-analysis for up to ten years.",
        "authors": ["afp"],
        "tags": ["athletics", "health"],
        "ago": timedelta(days=49, hours=2),
        "photo": {
            "caption": "Sealed sample kits at the national anti-doping laboratory.",
            "credit": "AFP",
            "alt_text": "Rows of blue and white sealed plastic bottles in a laboratory rack",
        },
        "body": """
<p>The national anti-doping agency will increase unannounced testing of athletes by 40 percent next
year, focusing on sports where its intelligence suggests the risk is highest.</p>
<p>Testers will visit more athletes at home and at training camps abroad, where most doping is
thought to take place, rather than at competitions, where cheats are least likely to be caught.</p>
<p>Samples from top-level athletes will be frozen and kept for up to ten years, so they can be
re-tested as detection methods improve.</p>
<p>Athletes' representatives said they supported the plans but asked for clearer rules on how
whereabouts information, which athletes must provide daily, is stored and who can see it.</p>
""",
    },
]

CULTURE = [
    {
        "slug": "film-festival-opens-with-surprise-debut",
        "section": "culture",
        "headline": "Film festival opens with a debut nobody saw coming",
        "standfirst": "A quiet family drama shot on a shoestring in a mountain village drew the longest "
        "standing ovation of the opening night.",
        "authors": ["hamid-qureshi"],
        "tags": ["film"],
        "ago": timedelta(days=1, hours=6),
        "photo": {
            "caption": "The director and cast of the opening film on the red carpet.",
            "credit": "AFP",
            "alt_text": "A small group of smiling people posing on a red carpet in front of photographers",
        },
        "body": """
<p>Festival openers are usually safe choices: a big star, a familiar director, a film that will be
forgotten by the closing night. This year the selectors took a risk, and it paid off.</p>
<p><em>The Salt Road</em>, the first feature by 29-year-old director Leyla Aydın, follows three
generations of a family who run a guesthouse on a mountain pass, over a single winter when the road
is closed by snow.</p>
<p>It was shot in 23 days, with a crew of eleven, and most of the cast had never acted before. The
grandmother is played by the director's own great-aunt, who steals every scene she is in.</p>
<blockquote>I wanted to make a film about how families talk when they cannot leave the room.
<cite>Leyla Aydın</cite></blockquote>
<h2>The competition</h2>
<p>Nineteen films are competing for the main prize, which will be announced on the final Saturday.
Our critics' daily verdicts will appear throughout the festival.</p>
""",
    },
    {
        "slug": "city-libraries-to-open-until-midnight",
        "section": "culture",
        "headline": "City libraries to stay open until midnight in pilot",
        "standfirst": "Four branches will trial late opening during exam season, after students complained "
        "they had nowhere quiet and warm to work.",
        "authors": ["our-correspondent"],
        "tags": ["books", "cities", "education"],
        "ago": timedelta(days=6, hours=2),
        "photo": {
            "caption": "Students at work in the central library's reading room.",
            "credit": "Staff photographer",
            "alt_text": "Young people reading at long wooden tables under green desk lamps",
        },
        "also_read": [("first-novels-dominate-literary-prize-shortlist", 2)],
        "body": """
<p>Four public libraries will stay open until midnight from next month, in a six-week trial that the
city council hopes will help students revising for exams.</p>
<p>The idea came from a petition signed by more than 5,000 young people, many of whom said they share
bedrooms with siblings or live in homes they cannot afford to heat in the evening.</p>
<p>The late sessions will be staffed by librarians and security guards, and will offer free wifi, hot
drinks and a quiet study floor. Children under 16 will need to leave by 9pm unless accompanied.</p>
<h2>Books after dark</h2>
<p>Librarians said the late openings could also bring in people who work during the day. "We have
had night-shift nurses asking for years," said branch manager Fiona Brennan.</p>
<p>If the pilot is judged a success, the council says it will consider late opening at all twelve
branches during exam periods.</p>
""",
    },
    {
        "slug": "youth-orchestra-programme-reaches-10000-children",
        "section": "culture",
        "headline": "Youth orchestra programme reaches 10,000 children",
        "standfirst": "The scheme lends instruments and runs free after-school lessons in areas where music "
        "teaching had all but disappeared.",
        "authors": ["hamid-qureshi"],
        "tags": ["music", "education"],
        "ago": timedelta(days=11, hours=5),
        "photo": {
            "caption": "Young violinists rehearse in a school hall before their end-of-term concert.",
            "credit": "Staff photographer",
            "alt_text": "A row of children with violins under their chins, watching a conductor",
        },
        "also_read": [("musicians-win-bigger-share-of-streaming-royalties", 3)],
        "body": """
<p>A programme that teaches children to play orchestral instruments for free now reaches 10,000
pupils, ten years after it began with a single class of 30 in a school on the edge of the city.</p>
<p>Children join at seven or eight, are lent an instrument, and attend three lessons a week after
school. Within a term, most are playing in an ensemble.</p>
<p>An evaluation by a university education department found that pupils in the programme attended
school more often and scored better in maths than similar pupils who were not.</p>
<p>"Nobody in my family had ever touched a cello," said 14-year-old Oskar Lindberg, who now plays in
the programme's senior orchestra. "Now my little brother wants to play the double bass, so our flat
is going to be very full."</p>
<p>The programme relies on donations and a lottery grant that ends next year. Its founders are
asking the education ministry to fund it permanently.</p>
""",
    },
    {
        "slug": "first-novels-dominate-literary-prize-shortlist",
        "section": "culture",
        "headline": "First novels dominate literary prize shortlist",
        "standfirst": "Four of the six books in contention are debuts, and two were published by presses "
        "with fewer than five staff.",
        "authors": ["hamid-qureshi"],
        "tags": ["books"],
        "ago": timedelta(days=18, hours=3),
        "photo": {
            "caption": "The six shortlisted novels on display at a city bookshop.",
            "credit": "Staff photographer",
            "alt_text": "Six hardback books with colourful covers arranged on a wooden table",
        },
        "body": """
<p>Debut novels make up four of the six books on this year's shortlist for the country's most
prominent fiction prize, announced on Tuesday.</p>
<p>The judges said they had read 163 submissions and were struck by how many first-time novelists
were writing about work: a night shift in a bakery, a season on a fishing boat, a year in a call
centre.</p>
<h2>The shortlist</h2>
<ul>
<li><em>Flour and Ash</em> by Irena Kovač</li>
<li><em>The Ninth Wave</em> by Callum Reid</li>
<li><em>Hold Music</em> by Precious Dlamini</li>
<li><em>A Small Country</em> by Matteo Bellini</li>
<li><em>The Lighthouse Keeper's Accounts</em> by Aino Virtanen</li>
<li><em>Lent</em> by Joseph Abara</li>
</ul>
<p>Small publishers have had a strong year. Two of the shortlisted books come from presses run out of
spare rooms, which print a few thousand copies at a time and now face the pleasant problem of
reprinting quickly enough.</p>
<p>The winner, who receives a cash prize and a year's translation grant, will be announced next
month.</p>
""",
    },
    {
        "slug": "museum-agrees-to-return-40-artefacts",
        "section": "culture",
        "headline": "Museum agrees to return 40 artefacts to their communities of origin",
        "standfirst": "The objects, taken during the colonial period, include carved doors, ceremonial masks "
        "and a royal stool.",
        "authors": ["afp"],
        "tags": ["diplomacy"],
        "ago": timedelta(days=27, hours=4),
        "photo": {
            "caption": "A carved wooden door, one of the objects to be returned, in the museum's gallery.",
            "credit": "AFP",
            "alt_text": "An intricately carved dark wooden door panel in a glass display case",
        },
        "body": """
<p>The national museum will return 40 objects to communities in West Africa, after its board accepted
the findings of a two-year study into how they were acquired.</p>
<p>The research, carried out with historians from the countries concerned, concluded that the objects
had been taken by force or under duress during a military expedition in the late nineteenth
century.</p>
<p>The first items will travel next spring. Some will go to a new museum built to receive them, and
others to the families and institutions from which they were taken.</p>
<p>The museum's director said the decision was "not an ending but the start of a different kind of
relationship", and announced a programme of joint exhibitions and staff exchanges.</p>
""",
    },
    {
        "slug": "musicians-win-bigger-share-of-streaming-royalties",
        "section": "culture",
        "headline": "Musicians win bigger share of streaming royalties in new deal",
        "standfirst": "Session players and songwriters will be paid directly for every stream, under an "
        "agreement between labels and performers' unions.",
        "authors": ["reuters"],
        "tags": ["music"],
        "ago": timedelta(days=35, hours=1),
        "photo": {
            "caption": "A session musician records in a studio.",
            "credit": "REUTERS",
            "alt_text": "A man with headphones playing an electric bass in a recording booth",
        },
        "body": """
<p>Record labels and musicians' unions have agreed a new way of sharing money from music streaming,
which will give session players a direct payment for every stream of recordings they played on.</p>
<p>Until now, most session musicians have been paid a one-off fee for a recording, regardless of how
successful it became. Songwriters' share of streaming income will also rise slightly.</p>
<p>The unions estimate that about 20,000 musicians will receive payments under the scheme, although
for most the sums will be modest.</p>
<p>"It is not a fortune, but it is a principle," said violinist and union official Katarzyna Nowak.
"If the song is still earning, the people who made it should still be earning."</p>
""",
    },
    {
        "slug": "review-bracing-revival-finds-new-anger",
        "section": "culture",
        "headline": "Review: a bracing revival that finds new anger in an old play",
        "standfirst": "A century-old drama about a strike in a shipyard feels startlingly current in a "
        "production that puts the audience on the factory floor.",
        "authors": ["hamid-qureshi"],
        "tags": ["cities"],
        "ago": timedelta(days=58, hours=2),
        "body": """
<p>There are no seats in the stalls for this production. The audience stands, moves and occasionally
gets in the way, as a company of 24 actors turns the theatre into a shipyard on the eve of a strike.</p>
<p>The play, first performed more than a hundred years ago and rarely staged since, is a sprawling
thing: three acts, forty characters, and speeches that go on for pages. Director Nadia Rahman has
cut it to two hours without an interval and lost nothing that matters.</p>
<p>At its centre is a towering performance by Yusuf Aksoy as the foreman caught between the owners
and the men he grew up with. His final speech, delivered from a gantry above our heads, is the most
electrifying ten minutes I have spent in a theatre this year.</p>
<h2>Not for the faint-hearted</h2>
<p>Be warned: you will be on your feet throughout, and the shipyard is loud. Wear comfortable shoes.
The run continues until the end of next month.</p>
""",
    },
]

# Not yet live: one story scheduled for later this week, and one draft.
UNPUBLISHED = [
    {
        "slug": "spending-review-what-to-watch-for",
        "section": "politics",
        "headline": "Spending review: what to watch for on Thursday",
        "standfirst": "Health, defence and the railways are the departments most likely to win, and "
        "local councils the most likely to lose.",
        "authors": ["tomasz-wielgosz"],
        "tags": ["inflation", "transport", "health"],
        "status": "scheduled",
        "ago": -timedelta(days=2, hours=3),
        "photo": {
            "caption": "The finance ministry, where the spending review is being finalised.",
            "credit": "Staff photographer",
            "alt_text": "A grey government building with rows of identical windows",
        },
        "body": """
<p>The finance minister will set out departmental budgets for the next three years on Thursday, in a
spending review that will decide how far the government's promises can be kept.</p>
<p>Health is expected to receive the largest increase in cash terms. Defence, after years of
pressure from allies, is likely to be the second winner.</p>
<p>Local councils, which run social care, libraries and bin collections, have warned that another
flat settlement would force several of them into effective bankruptcy.</p>
<p>We will publish full coverage and analysis as the minister speaks.</p>
""",
    },
    {
        "slug": "inside-the-race-to-build-a-cheaper-fusion-magnet",
        "section": "sci-tech",
        "headline": "Inside the race to build a cheaper fusion magnet",
        "standfirst": "Superconducting tape could shrink fusion reactors to a fraction of their size, if "
        "it can be made by the kilometre.",
        "authors": ["daniel-achterberg"],
        "tags": ["energy"],
        "status": "draft",
        "body": """
<p>In a converted warehouse on the edge of an industrial estate, a machine the length of a bus winds
a ribbon of superconducting tape thinner than a human hair onto a steel former.</p>
<p>The tape, made of a rare-earth ceramic, carries electricity without resistance when cooled, and
can produce magnetic fields strong enough to hold a fusion plasma in a much smaller space.</p>
<p>[Quotes from the plant manager to come after Thursday's visit.]</p>
<p>[Check cost figures with the company before publishing.]</p>
""",
    },
]

STORIES = WORLD + POLITICS + BUSINESS + SCI_TECH + SPORT + CULTURE + UNPUBLISHED
