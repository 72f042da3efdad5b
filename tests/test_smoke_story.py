import pytest


@pytest.mark.django_db
def test_story_page_renders(client, make_article, make_photo):
    article = make_article(headline="Russia ceases work on joint space projects", lead_photo=make_photo())
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Russia ceases work on joint space projects" in html
    assert "Photo: REUTERS" in html
