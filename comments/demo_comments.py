"""Reader comments for the demo stories of ``articles.demo_content``.

Each thread is a list of comments; ``reply_to`` is the index, in the same
list, of the comment answered. Times are minutes after the story went live.
"""

THREADS = {
    "river-nations-agree-to-share-drought-data": [
        {
            "name": "Farid N.",
            "email": "farid@example.org",
            "minutes": 35,
            "body": "Sharing gauge readings is the easy part. The test comes in the first dry August, when an "
            "upstream dam has to release water it would rather keep.",
        },
        {
            "name": "Ingrid Solberg",
            "email": "ingrid.s@example.org",
            "minutes": 52,
            "reply_to": 0,
            "body": "True, but you cannot argue about releases you cannot see. Real-time data at least moves the "
            "argument from rumour to numbers.\n\nThe Mekong commission took twenty years to get that far.",
        },
        {
            "name": "Farid N.",
            "email": "farid@example.org",
            "minutes": 70,
            "reply_to": 1,
            "body": "Fair point. I'd like to know who audits the readings, though.",
        },
        {
            "name": "A fisherman's daughter",
            "email": "delta.family@example.org",
            "minutes": 95,
            "body": "My father's boat sat on the mud for four months last year. Whatever gets the water back, "
            "we are for it.",
        },
        {
            "name": "Jo Pike",
            "email": "jo.pike@example.org",
            "minutes": 130,
            "status": "pending",
            "body": "Does the accord say anything about groundwater? The article only mentions the river.",
        },
    ],
    "ceasefire-talks-resume-in-geneva": [
        {
            "name": "Marta K.",
            "email": "marta.k@example.org",
            "minutes": 20,
            "body": "Third round this year. I hope the mediators have learnt from the last two.",
        },
        {
            "name": "Dmitri",
            "email": "dmitri.v@example.org",
            "minutes": 41,
            "reply_to": 0,
            "flagged": "off_topic",
            "body": "Talks never solved anything. Meanwhile my internet bill went up again.",
        },
    ],
    "solar-microgrids-bring-night-clinics-to-sahel": [
        {
            "name": "Dr. Aminata Diallo",
            "email": "a.diallo@example.org",
            "minutes": 60,
            "body": "I work in one of these clinics. Night deliveries used to happen by torchlight; "
            "now we have lights and a fridge for vaccines. Maintenance money is the worry for year three.",
        },
    ],
}
