from matcher.text.render import graduate_text, normalise, position_text, tokenize


def test_normalise_folds_full_width_and_whitespace():
    assert normalise("  Ｊａｖａ　开发\n工程师 ") == "Java 开发 工程师"
    assert normalise(None) == ""


def test_position_text_leads_with_title_majors_and_skills():
    text = position_text(
        {
            "title": "Java开发工程师",
            "majors": ["计算机类"],
            "skills": ["Java", "MySQL"],
            "description": "职位描述：负责后端开发。" + "很长" * 1000,
        }
    )
    assert text.startswith("Java开发工程师。专业：计算机类。技能：Java、MySQL。负责后端开发")
    assert len(text) < 500


def test_graduate_text_names_major_class_skills_and_bio():
    text = graduate_text(
        {
            "major": "软件工程",
            "major_class": "计算机类",
            "skills": ["Java"],
            "bio": "做过校园二手平台。",
        }
    )
    assert text == "软件工程专业（计算机类）。技能：Java。做过校园二手平台。"
    assert graduate_text({}) == ""


def test_tokenize_keeps_skill_names_and_drops_punctuation():
    words = tokenize("熟悉Java、Spring Boot和MySQL，C++优先；Node.js开发经验")
    assert {"java", "spring", "boot", "mysql", "c++", "开发"} <= set(words)
    assert "，" not in words and "、" not in words and "和" not in words
