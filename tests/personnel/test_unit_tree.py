"""The unit tree: collapsible (details/summary, no script), each unit with the working staff of
its own and of its whole subtree."""

from django.urls import reverse


def test_the_tree_nests_units_and_counts_each_subtree(world, client_for):
    response = client_for(world.admin).get(reverse("personnel:unit_list"))
    [province] = response.context["roots"]
    assert province.name == "Tỉnh Thử"
    by_name = {unit.name: unit for unit in response.context["units"]}
    assert [child.name for child in province.children] == ["Sở A", "Sở B"]
    assert by_name["Sở A"].active_staff == 1  # Nguyễn Văn An
    assert by_name["Sở A"].subtree_staff == 3  # with the two of Trường A1
    assert province.subtree_staff == 4
    page = response.content.decode()
    assert page.count("<details") == 3  # the province, Sở A and Sở B have units under them
    assert "<script" not in page.split("<main")[1].split("</main>")[0]


def test_a_clerks_tree_starts_at_their_unit(world, client_for):
    response = client_for(world.clerk).get(reverse("personnel:unit_list"))
    assert [unit.name for unit in response.context["roots"]] == ["Sở A"]
    assert response.context["roots"][0].subtree_staff == 3
