"""協働推進計画アシスタント: the Streamlit page staff use (`make run`).

Only drawing happens here and in `app_pages/`; answering, indexing, feedback and
evaluation are calls into the `assistant` package.
"""

import streamlit as st

from app_pages.chrome import ABOUT, japanese_chrome
from app_pages.common import keep_browser_cookie, settings, sidebar_status

st.set_page_config(
    page_title="協働推進計画アシスタント",
    page_icon="🤝",
    layout="wide",
    menu_items={"Get help": None, "Report a bug": None, "About": ABOUT},
)

page = st.navigation(
    [
        st.Page("app_pages/chat.py", title="チャット", icon="💬", default=True),
        st.Page("app_pages/documents.py", title="文書", icon="📄"),
        st.Page("app_pages/evaluation.py", title="評価", icon="📊"),
        st.Page("app_pages/feedback.py", title="フィードバック", icon="👍"),
    ]
)
japanese_chrome()
keep_browser_cookie()
sidebar_status(settings())
page.run()
