<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>OverlayTexts</name>
    <message numerus="yes">
        <location filename="../pacs_desktop/ui/viewer/overlays.py" line="+424"/>
        <source>%n file(s) of this series cannot be read.</source>
        <translation>
            <numerusform>%n file of this series cannot be read.</numerusform>
            <numerusform>%n files of this series cannot be read.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RemoteBrowser</name>
    <message numerus="yes">
        <location filename="../pacs_desktop/ui/network/remote_browser.py" line="+222"/>
        <source>%n study(s) found on {node}</source>
        <translation>
            <numerusform>%n study found on {node}</numerusform>
            <numerusform>%n studies found on {node}</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+68"/>
        <source>{number}{modality} {description} (%n image(s))</source>
        <translation>
            <numerusform>{number}{modality} {description} (%n image)</numerusform>
            <numerusform>{number}{modality} {description} (%n images)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SeriesList</name>
    <message numerus="yes">
        <location filename="../pacs_desktop/ui/viewer/series_list.py" line="+110"/>
        <source>%n image(s)</source>
        <translation>
            <numerusform>%n image</numerusform>
            <numerusform>%n images</numerusform>
        </translation>
    </message>
</context>
</TS>
