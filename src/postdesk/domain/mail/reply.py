"""The part of a reply the customer actually wrote, and the history to fold away.

``split_reply(text) -> (visible, folded)``: ``visible`` is what the sender wrote in this
message; ``folded`` is the quoted history and the signature, for a "show more" in the console.
Line-based and linear, so a pathological body cannot stall intake (no backtracking regex
runs over more than one line plus a few continuation lines).

1. Lines are classified: quoted (``>``), reply headers ("On … wrote:", "Am … schrieb …:",
   "El … escribió:" and their Dutch, French, Italian, Portuguese, Nordic, Polish, Russian
   and Japanese forms; any line ending in ":" that names an address or a date and is followed
   by quoted lines), Outlook header blocks (From:/Von:/De: with Sent:/Gesendet:/Enviado:/To:/
   Subject:…, bold or not), "-----Original Message-----" style separators and forwarding
   markers.
2. History starts at the first header (or, without one, after the last line the sender
   wrote). Separator lines and blank lines right above a header go with the history.
3. Interleaved answers (own text between quoted blocks) stay visible with the quotes they
   answer; only the trailing history is folded. A reply written below a quote (Thunderbird
   bottom-posting) shows only the answer.
4. A header block at the very top with nothing above it belongs to the message itself (a
   forward with no comment, a pasted mail): its content is visible up to the next header.
5. Signatures fold: a "-- " delimiter line, a mailing-list footer (a long underscore line),
   a "-Name" sign line, and mobile footers ("Sent from my iPhone", "Von meinem iPhone
   gesendet", "Enviado desde mi iPhone", "Get Outlook for iOS", …).

Closing salutations ("Regards,\\nJane") stay visible: agents want the customer's name and tone.
``split_signoff`` separates them when a caller needs the bare body.
"""

from __future__ import annotations

import re

# --- line patterns ----------------------------------------------------------------------------
_QUOTED = re.compile(r"^[ \t]*>")
_WROTE_START = re.compile(
    r"^[ \t]*(?:On|Am|El|Le|Op|Il|Em|No dia|Den|Dnia|W dniu|Pada|Dne|Dana|Le|Στις|В|Vào)\b",
    re.I)
_WROTE_END = re.compile(
    r"(?:wrote|writes|schrieb|schreef|escribió|escribio|a écrit|a ecrit|ha scritto|escreveu|"
    r"skrev|skrifaði|kirjoitti|napisał(?:\(a\))?|napisala|napisal|написал(?:\(а\)|а)?|"
    r"έγραψε|yazdı|írta|napsal(?:\(a\))?|a scris)\b[^\n]{0,80}?:?[ \t]*$",
    re.I)
_COLON_END = re.compile(r":[ \t]*$")
_HAS_ADDRESS_OR_DATE = re.compile(
    r"@|\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b|\b\d{1,2}:\d{2}\b|\d{4}年|\b(?:19|20)\d\d\b")
_SEPARATOR_HEADER = re.compile(
    r"^[ \t>]*[-_=*]{2,}[ \t]*(?:original message|original e-?mail message|"
    r"ursprüngliche nachricht|originalnachricht|mensaje original|message d'origine|"
    r"oorspronkelijk bericht|oprindelig meddelelse|originalmeddelande|opprinnelig melding|"
    r"wiadomość oryginalna|messaggio originale|mensagem original|alkuperäinen viesti|"
    r"forwarded message|weitergeleitete nachricht|mensaje reenviado|message transféré|"
    r"doorgestuurd bericht|videresendt meddelelse|vidarebefordrat meddelande|"
    r"messaggio inoltrato|mensagem encaminhada|исходное сообщение|пересылаемое сообщение)"
    r"[ \t]*[-_=*]{2,}[ \t]*$",
    re.I)
_FORWARD_MARKER = re.compile(
    r"^[ \t]*(?:begin forwarded message|anfang der weitergeleiteten nachricht|"
    r"inicio del mensaje reenviado|début du message réexpédié|"
    r"forwarded message)[ \t]*:?[ \t]*$",
    re.I)
_FIELD = r"[ \t]*[*_]{{0,2}}(?:{names})[*_]{{0,2}}[ \t]*:[*_]{{0,2}}(?:[ \t]|$)"
_FROM_NAMES = ("From|Von|De|Van|Od|Från|Fra|Frå|Da|От|Lähettäjä|Feladó|Kimden|Från|Afsender|"
               "Absender|Remitente|Expéditeur")
_OTHER_NAMES = ("Sent|Date|To|Cc|Bcc|Subject|Reply-To|Gesendet|Datum|An|Betreff|Kopie|Enviado|"
                "Fecha|Para|Asunto|CC|Envoyé|Objet|À|A|Verzonden|Aan|Onderwerp|Wysłano|Data|"
                "Do|Temat|DW|Skickat|Till|Ämne|Sendt|Til|Emne|Inviato|Oggetto|Enviada|Assunto|"
                "Отправлено|Кому|Тема|Дата|Lähetetty|Vastaanottaja|Aihe|Elküldve|Címzett|"
                "Tárgy|Gönderildi|Kime|Konu|Envoyé le|Date de l'envoi|Gesendet am")
_FROM_FIELD = re.compile("^" + _FIELD.format(names=_FROM_NAMES), re.I)
_OTHER_FIELD = re.compile("^" + _FIELD.format(names=_OTHER_NAMES), re.I)
_RULE = re.compile(r"^[ \t]*(?:[-_=*]{5,}|[-_]{2,}[ \t]*[-_]{2,}[-_ \t]*)[ \t]*$")
_SIGNATURE_DELIMITER = re.compile(r"^(?:-- ?|--\s*|—)$")
_LIST_FOOTER = re.compile(r"^_{20,}\s*$")
_DASH_NAME = re.compile(r"^-[ ]?[A-Z][\w.'’]*(?: [A-Z][\w.'’]*){0,3}\s*$")
_MOBILE_FOOTER = re.compile(
    r"^[ \t]*(?:sent from my [\w\- ]{1,40}|sent from (?:outlook|yahoo mail|mail for windows)"
    r"[\w\- ]{0,40}|get outlook for [\w ]{1,20}|sent with [\w\- ]{1,40}(?: \(.*\))?|"
    r"sent via [\w\- ]{1,40}|sent from (?:samsung|huawei|xiaomi) [\w\- ]{1,40}|"
    r"von meinem [\w\- ]{1,40} gesendet|gesendet von meinem [\w\- ]{1,40}|"
    r"gesendet mit [\w\- ]{1,40}|von [\w\- ]{1,30} gesendet|"
    r"enviado desde mi [\w\- ]{1,40}|enviado desde [\w\- ]{1,40}|"
    r"envoyé de mon [\w\- ]{1,40}|verzonden vanaf mijn [\w\- ]{1,40}|"
    r"skickat från min [\w\- ]{1,40}|sendt fra min [\w\- ]{1,40}|"
    r"inviato da [\w\- ]{1,40}|enviado do meu [\w\- ]{1,40}|"
    r"wysłane z [\w\- ]{1,40}|отправлено с [\w\- ]{1,40}|iphoneから送信)[ \t]*$",
    re.I)

_MAX_HEADER_LINES = 4  # "On …, Name\n<address>\nwrote:" spans up to four lines


def split_reply(text: str) -> tuple[str, str]:
    """(visible part the sender wrote, folded quoted history + signature). Never raises."""
    if not text:
        return "", ""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    visible_idx, folded_idx = _split_lines(lines)
    visible_idx, signature_idx = _strip_signature(lines, visible_idx)
    visible = _join(lines, visible_idx)
    folded_set = sorted(set(folded_idx) | set(signature_idx))
    folded = _join(lines, folded_set)
    return visible, folded


def _join(lines: list[str], indexes) -> str:
    return "\n".join(lines[i] for i in indexes).strip("\n").rstrip()


# --- step 1: where does the history start? ------------------------------------------------------
def _header_at(lines: list[str], index: int) -> int:
    """Number of lines of a reply header starting at ``index`` (0: none)."""
    line = lines[index]
    stripped = line.strip()
    if not stripped or _QUOTED.match(line):
        return 0
    if _SEPARATOR_HEADER.match(line) or _FORWARD_MARKER.match(line):
        return 1
    if _FROM_FIELD.match(line) or _OTHER_FIELD.match(line):
        size = _field_block(lines, index)
        if size:
            return size
    if len(stripped) > 400:
        return 0
    if _WROTE_START.match(line):
        joined = stripped
        for extra in range(_MAX_HEADER_LINES):
            if _WROTE_END.search(joined) and len(joined) < 400:
                return extra + 1
            following = index + extra + 1
            if following >= len(lines) or not lines[following].strip() or _QUOTED.match(
                    lines[following]):
                break
            joined += " " + lines[following].strip()
    # Any language: "<date or address> …:" followed by quoted lines ("2022年1月1日(金) 9:00
    # 田中太郎 <taro@…>:", "02.04.2012 14:20 пользователь … написал:").
    if not _HAS_ADDRESS_OR_DATE.search(stripped):
        return 0
    joined = stripped
    for extra in range(_MAX_HEADER_LINES):
        if _COLON_END.search(joined) and _HAS_ADDRESS_OR_DATE.search(joined) and len(joined) < 400:
            after = index + extra + 1
            while after < len(lines) and not lines[after].strip() and after <= index + extra + 2:
                after += 1
            if after < len(lines) and _QUOTED.match(lines[after]):
                return extra + 1
        following = index + extra + 1
        if following >= len(lines) or not lines[following].strip() or _QUOTED.match(
                lines[following]):
            break
        joined += " " + lines[following].strip()
    return 0


def _field_block(lines: list[str], index: int) -> int:
    """Size of an Outlook-style header block at ``index``: From: plus at least one of Sent:/
    Date:/To:/Subject: (any language, bold or not), or three fields of any kind. Wrapped field
    values (a line that is not a field, right after one) are part of the block."""
    fields = 0
    has_from = False
    has_other = False
    position = index
    last_field_end = index
    while position < len(lines) and position < index + 16:
        line = lines[position]
        if _FROM_FIELD.match(line):
            has_from = True
            fields += 1
            last_field_end = position + 1
        elif _OTHER_FIELD.match(line):
            has_other = True
            fields += 1
            last_field_end = position + 1
        elif not line.strip():
            if fields and position + 1 < len(lines) and (
                    _FROM_FIELD.match(lines[position + 1]) or _OTHER_FIELD.match(lines[position + 1])):
                position += 1  # Outlook sometimes puts blank lines between fields
                continue
            break
        elif position == index or position - last_field_end > 1:
            break
        position += 1
    if (has_from and has_other) or fields >= 3:
        return last_field_end - index
    return 0


def _split_lines(lines: list[str]) -> tuple[list[int], list[int]]:
    count = len(lines)
    headers: list[tuple[int, int]] = []  # (start, size)
    index = 0
    while index < count:
        size = _header_at(lines, index)
        if size:
            headers.append((index, size))
            index += size
        else:
            index += 1
    first_content = next((i for i, line in enumerate(lines) if line.strip()), count)
    quoted = [bool(_QUOTED.match(line)) for line in lines]

    if headers:
        start, size = headers[0]
        own_before = any(lines[i].strip() and not quoted[i] and not _RULE.match(lines[i])
                         for i in range(first_content, start))
        if own_before:
            cut = _back_up(lines, start)
            end_of_history = headers[1][0] if len(headers) > 1 else count
            last_own = _last_interleaved_line(lines, quoted, start + size, end_of_history)
            if last_own is not None:
                visible = list(range(0, last_own + 1))
                return visible, list(range(last_own + 1, count))
            return list(range(0, cut)), list(range(cut, count))
        # A header at the very top: the message is a reply written below or between quotes,
        # or a forward/pasted mail whose first header belongs to the message itself. The
        # first stretch between headers that holds own text is the message.
        for number, (start, size) in enumerate(headers):
            body_start = start + size
            next_header = headers[number + 1][0] if number + 1 < len(headers) else count
            own_blocks = _own_blocks(lines, quoted, body_start, next_header)
            if own_blocks:
                break
        else:
            return list(range(0, count)), []
        if any(quoted[i] for i in range(body_start, next_header)):
            if len(own_blocks) == 1 and not any(quoted[i] for i in range(own_blocks[0][1],
                                                                      next_header)):
                first, last = own_blocks[0]
                return list(range(first, last)), [
                    i for i in range(count) if i < first or i >= last]
            last = own_blocks[-1][1]
            return list(range(start, last)), [i for i in range(count) if i < start or i >= last]
        end = _back_up(lines, next_header) if next_header < count else count
        return list(range(body_start, end)), [
            i for i in range(count) if i < body_start or i >= end]

    # No header: quoted lines fold when nothing the sender wrote follows them.
    if not any(quoted):
        return list(range(count)), []
    last_own = max((i for i in range(count) if lines[i].strip() and not quoted[i]), default=-1)
    if last_own < 0:
        return list(range(count)), []
    return list(range(0, last_own + 1)), list(range(last_own + 1, count))


def _back_up(lines: list[str], index: int) -> int:
    """Include separator rules and blank lines right above a header in the history."""
    while index > 0 and (not lines[index - 1].strip() or _RULE.match(lines[index - 1])):
        index -= 1
    return index


def _own_blocks(lines, quoted, start, end) -> list[tuple[int, int]]:
    """[first, last+1) runs of unquoted, non-blank lines between start and end, excluding
    signatures and footers (which start with a delimiter or rule)."""
    blocks: list[tuple[int, int]] = []
    index = start
    while index < end:
        if lines[index].strip() and not quoted[index]:
            first = index
            while index < end and not quoted[index] and not _ends_block(lines, index, first):
                index += 1
            last = index
            while last > first and not lines[last - 1].strip():
                last -= 1
            words = len(re.findall(r"\w", " ".join(lines[first:last])))
            # A line after a quoted line ending in "=" is the rest of that line, broken by a
            # quoted-printable soft break that was never decoded ("attachment=\n,").
            broken = first > 0 and quoted[first - 1] and lines[first - 1].endswith("=")
            if words >= 2 and not broken and not (_SIGNATURE_DELIMITER.match(lines[first].strip())
                                   or _RULE.match(lines[first])
                                   or _LIST_FOOTER.match(lines[first].strip())):
                blocks.append((first, last))
            continue
        index += 1
    return blocks


def _ends_block(lines, index, first) -> bool:
    if index == first:
        return False
    stripped = lines[index].strip()
    return bool(_SIGNATURE_DELIMITER.match(stripped) or _LIST_FOOTER.match(stripped))


def _last_interleaved_line(lines, quoted, start, end) -> int | None:
    """After a reply header: the last line of own text that sits between quoted blocks, or
    None when the history is simply quoted (no interleaving)."""
    blocks = _own_blocks(lines, quoted, start, end)
    # Prefix counts keep this linear: a body of thousands of alternating lines stays fast.
    counts = [0]
    for index in range(start, end):
        counts.append(counts[-1] + quoted[index])
    result = None
    for first, last in blocks:
        before = counts[first - start] > 0
        after = counts[end - start] - counts[last - start] > 0
        if before and after:
            result = last - 1
    return result


# --- step 5: signatures -----------------------------------------------------------------------
def _strip_signature(lines: list[str], visible: list[int]) -> tuple[list[int], list[int]]:
    if not visible:
        return visible, []
    content = [i for i in visible if lines[i].strip()]
    if not content:
        return visible, []
    cut = None
    first_content = content[0]
    # Delimiter or list footer, anywhere after the first line of the visible part.
    for position in visible:
        if position == first_content:
            continue
        stripped = lines[position].strip()
        if _QUOTED.match(lines[position]):
            continue
        if lines[position] in ("-- ", "--") or lines[position].rstrip() == "--" or (
                _LIST_FOOTER.match(stripped)):
            cut = position
            break
    tail = [i for i in content if cut is None or i < cut]
    # Mobile footers and "-Name" lines among the last lines.
    for position in reversed(tail[-3:]):
        if position == first_content:
            break
        stripped = lines[position].strip()
        if _MOBILE_FOOTER.match(stripped) or _DASH_NAME.match(stripped):
            cut = position if cut is None or position < cut else cut
        else:
            break
    if cut is None:
        return visible, []
    return [i for i in visible if i < cut], [i for i in visible if i >= cut]


# --- sign-offs (optional, for callers that want the bare body) ----------------------------------
_SIGNOFF = re.compile(
    r"^[ \t>]*(?:best(?: regards| wishes)?|kind regards|warm regards|regards|many thanks|"
    r"thanks(?: (?:again|a lot|and regards))?|thank you|cheers|sincerely|yours(?: truly| sincerely)?|"
    r"mit freundlichen grüßen|mit freundlichen grüssen|freundliche grüße|viele grüße|beste grüße|"
    r"liebe grüße|grüße|gruß|mfg|lg|vg|saludos(?: cordiales)?|un saludo|atentamente|"
    r"cordialmente|pozdrawiam|z poważaniem|z powazaniem|med venlig hilsen|venlig hilsen|"
    r"mvh|hilsen|kh|med vänlig hälsning|vänliga hälsningar|med vänliga hälsningar|hälsningar|"
    r"met vriendelijke groet(?:en)?|vriendelijke groet(?:en)?|groeten|groet|cordialement|"
    r"bien à vous|salutations|distinti saluti|cordiali saluti|saluti|atenciosamente|abraços)"
    r"[ \t]*[,.!]?[ \t]*$",
    re.I)
_SLASH_NAME = re.compile(r"^[ \t>]*/[A-Z][\w.-]*(?: [A-Z][\w.-]*)?\s*$")


def split_signoff(text: str) -> tuple[str, str]:
    """(body, sign-off): a closing salutation among the last lines and the short lines under
    it ("Regards,\\n\\nJane Doe\\nAcme Corp"), or a "/Name" line. ("", "") parts when absent."""
    lines = text.rstrip().split("\n")
    content = [i for i, line in enumerate(lines) if line.strip()]
    for position in content[-8:]:
        line = lines[position]
        if _SIGNOFF.match(line) or _SLASH_NAME.match(line):
            after = [i for i in content if i > position]
            if len(after) <= 6 and all(len(lines[i].strip()) <= 60 for i in after):
                if position == content[0]:
                    return "", text.strip()
                return "\n".join(lines[:position]).rstrip(), "\n".join(lines[position:]).strip()
    return text.strip(), ""
