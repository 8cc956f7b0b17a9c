-- Rasa's tracker store and event broker get their own databases beside the case data.
CREATE DATABASE rasa_tracker;
CREATE DATABASE rasa_events;
