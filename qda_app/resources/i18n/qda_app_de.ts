<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="26"/>
        <location filename="../../ui/main_window.py" line="104"/>
        <source>QDA App</source>
        <translation>QDA App</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="36"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="37"/>
        <source>&amp;New project…</source>
        <translation>&amp;Neues Projekt…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="39"/>
        <source>&amp;Open project…</source>
        <translation>Projekt ö&amp;ffnen…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="41"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="45"/>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="46"/>
        <location filename="../../ui/main_window.py" line="92"/>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="48"/>
        <location filename="../../ui/main_window.py" line="97"/>
        <source>&amp;Redo</source>
        <translation>&amp;Wiederherstellen</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="67"/>
        <source>No project open. Use File › Open project…</source>
        <translation>Kein Projekt geöffnet. Datei › Projekt öffnen…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="72"/>
        <source>{name} – QDA App</source>
        <translation>{name} – QDA App</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="75"/>
        <source>{name}

{documents} documents · {codes} codes · {codings} codings · {coders} coders · {cases} cases</source>
        <translation>{name}

{documents} Dokumente · {codes} Codes · {codings} Codierungen · {coders} Codierende · {cases} Fälle</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="90"/>
        <source>&amp;Undo {what}</source>
        <translation>&amp;Rückgängig: {what}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="95"/>
        <source>&amp;Redo {what}</source>
        <translation>&amp;Wiederherstellen: {what}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="117"/>
        <source>Open project</source>
        <translation>Projekt öffnen</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="117"/>
        <location filename="../../ui/main_window.py" line="124"/>
        <source>QDA projects (*.qda)</source>
        <translation>QDA-Projekte (*.qda)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="124"/>
        <source>New project</source>
        <translation>Neues Projekt</translation>
    </message>
</context>
</TS>
