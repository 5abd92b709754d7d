"""The Streamlit pages of the assistant (drawing only; all logic lives in `assistant/`)."""
