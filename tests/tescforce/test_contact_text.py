from tescforce.templatetags.contact_text import breakable_email


def test_an_address_may_break_after_the_at_sign_and_each_dot():
    assert breakable_email("jeanne.riviere@mail.example.org") == "jeanne.<wbr>riviere@<wbr>mail.<wbr>example.<wbr>org"


def test_what_is_not_an_address_is_only_escaped():
    assert breakable_email("") == ""
    assert breakable_email(None) == ""
    assert breakable_email("<b>bold</b>") == "&lt;b&gt;bold&lt;/b&gt;"


def test_every_part_is_escaped():
    assert breakable_email('"<x>"@ex<ample>.org') == "&quot;&lt;x&gt;&quot;@<wbr>ex&lt;ample&gt;.<wbr>org"
