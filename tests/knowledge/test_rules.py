"""The dossier rules on hand-built records: no database, every rule in isolation."""

from __future__ import annotations

from datetime import date

from mercato.knowledge.dossier import club_at, contract, link_view
from mercato.knowledge.records import ArticleRef, ClaimRecord, alternatives_from_detail

TODAY = date(2025, 7, 1)


def art(aid: int, published: str, outlet: str = "Outlet", dup: int | None = None) -> ArticleRef:
    return ArticleRef(aid, f"a{aid}", f"https://x.example/{aid}", None, outlet, None, "en", published, dup)


def claim(cid: int, ctype: str, status: str, article: ArticleRef, club: str = "Napoli", **kw: object) -> ClaimRecord:
    return ClaimRecord(
        id=cid, type=ctype, status=status, article=article, player="P", player_key="person:p", club=club,
        club_key=f"club:{club.lower()}", evidence=str(kw.pop("evidence", f"evidence {cid} for {club}")), **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def test_a_denial_lowers_credibility_and_marks_the_link() -> None:
    rumour = claim(1, "interest", "reported", art(1, "2025-06-01"))
    denial = claim(2, "interest", "denied", art(2, "2025-06-05", "Other"))
    before = link_view("Napoli", "club:napoli", [rumour], TODAY)
    after = link_view("Napoli", "club:napoli", [rumour, denial], TODAY)
    assert before["stage"] == "interest" and after["stage"] == "denied"
    assert after["credibility"]["score"] < before["credibility"]["score"] / 2
    assert "denied" in {r["code"] for r in after["credibility"]["reasons"]}
    # Talks that were denied afterwards have collapsed.
    talks = claim(3, "negotiation", "reported", art(3, "2025-06-03"))
    assert link_view("Napoli", "club:napoli", [rumour, talks, denial], TODAY)["stage"] == "collapsed"


def test_syndicated_copies_count_once_and_independent_voices_corroborate() -> None:
    text = "Napoli are in advanced talks with Leipzig for the Belgian striker, sources say."
    a = claim(1, "negotiation", "reported", art(1, "2025-06-01", "A"), evidence=text)
    marked = claim(2, "negotiation", "reported", art(2, "2025-06-02", "B", dup=1), evidence="x")
    edited = claim(3, "negotiation", "reported", art(3, "2025-06-02", "C"), evidence=text.replace("striker", "forward"))
    other = claim(4, "negotiation", "reported", art(4, "2025-06-03", "D"), evidence="Talks confirmed by D's reporter.")
    one = link_view("Napoli", "club:napoli", [a, marked, edited], TODAY)
    assert one["independent_sources"] == 1 and one["syndicated_copies"] == 2
    two = link_view("Napoli", "club:napoli", [a, marked, edited, other], TODAY)
    assert two["independent_sources"] == 2
    assert two["credibility"]["score"] > one["credibility"]["score"]


def test_ladder_and_official_no_decay() -> None:
    cs = [
        claim(1, "interest", "rumour", art(1, "2025-01-01")),
        claim(2, "negotiation", "reported", art(2, "2025-01-05")),
        claim(3, "agreement", "reported", art(3, "2025-01-09"), evidence="He will undergo his medical tomorrow"),
        claim(4, "transfer", "official", art(4, "2025-01-10")),
    ]
    view = link_view("Napoli", "club:napoli", cs, TODAY)
    assert [s["stage"] for s in view["ladder"]] == ["interest", "negotiation", "medical", "official"]
    assert view["stage"] == "official" and view["credibility"]["score"] >= 0.9
    assert "official_no_decay" in {r["code"] for r in view["credibility"]["reasons"]}


def test_contract_preference_names_its_reason_and_keeps_alternatives() -> None:
    old = claim(1, "contract_expiry", "reported", art(1, "2024-05-06"), club="Atalanta", date="2025-06",
                detail="also stated by a quote: contract_expiry 2024-06 (reported)")  # fmt: skip
    con = contract([old], "club:atalanta")
    assert con is not None and con["until"] == "2025-06" and con["conflict"]
    assert {s["kind"] for s in con["statements"]} == {"claim", "alternative"}
    assert con["reason"] == "better_sourced" or con["reason"] == "more_precise" or con["reason"] == "stronger_status"
    newer = claim(2, "contract_extension", "official", art(2, "2024-07-01"), club="Atalanta", date="2027-06")
    con = contract([old, newer], "club:atalanta")
    assert con is not None and con["until"] == "2027-06" and con["reason"] == "newer"
    assert alternatives_from_detail("also stated by the text: departure undated (denied)", "departure") == [
        {"date": None, "status": "denied", "source": None, "in_quote": False, "evidence_offsets": None}
    ]


def test_club_at_a_date() -> None:
    cs = [
        claim(1, "transfer", "official", art(1, "2024-05-06"), club="Metz", date="2014", detail="career history"),
        claim(2, "transfer", "official", art(1, "2024-05-06"), club="Atalanta", date="2017", detail="career history"),
        claim(3, "injury", "reported", art(1, "2024-05-06"), club="Atalanta"),
    ]
    assert club_at(cs, "2015")["club"] == "Metz"  # type: ignore[index]
    assert club_at(cs)["club"] == "Atalanta"  # type: ignore[index]
    assert club_at(cs, "2013") is None
