"""Reading a table as a phone shows it (the `table-cards` pattern: thidua/app.css for staff
pages, contests/contest.css for the contest's pages): under the breakpoint each row is a card
whose unlabelled cell is its title and whose other cells say what they are (data-label)."""

from lxml import html


def phone_cards(page: str, table_id: str) -> list[dict[str, str]]:
    """The rows of table `table_id` as cards: {"": title, label: text, ...}. Fails if the table
    is not a card table, a row has no title or two, or a label is not one of the columns."""
    tables = html.fromstring(page).xpath(f'//table[@id="{table_id}"]')
    assert tables, f"no table #{table_id} on the page"
    table = tables[0]
    assert "table-cards" in table.get("class", "").split(), f"#{table_id} is not a card table"
    headers = {" ".join(th.text_content().split()) for th in table.xpath("./thead//th")}
    cards = []
    for row in table.xpath("./tbody/tr"):
        card: dict[str, str] = {}
        for cell in row.xpath("./td"):
            label = cell.get("data-label", "")
            assert label not in card, f"two cells labelled {label!r} (or two titles) in a card"
            assert not label or label in headers, f"{label!r} is not a column of #{table_id}"
            card[label] = " ".join(cell.text_content().split())
        assert "" in card, "a card without a title"
        cards.append(card)
    return cards
