"""Turn a raw article into paragraphs and headings, without page furniture.

Web articles arrive with author boxes, contact details, social blocks, repeated image
captions, tables of contents, calls to comment, disclaimers, markup debris and headings
glued onto the previous sentence. None of it is the story, and some of it is personal
data, so it is removed here and only its kind and count are kept.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import html
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from html.parser import HTMLParser
from urllib.parse import urlsplit

from .config import SpinDetection, world_gazetteer
from .model import Article, Block, CleanArticle, Removal, SpinEvidence
from .outlets import outlet_from_url
from .segment import HAS_WORD, sentence_spans

# --- markup debris -----------------------------------------------------------------
HTML_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
JSON_DEBRIS = re.compile(r"\{\s*[\"“”][^{}]{0,200}?[\"“”]\s*:[^{}]{0,200}\}")
ARROW_DEBRIS = re.compile(r"\s*[–-]-?>\s*")
JUNK_TOKEN = re.compile(r"\S{100,}")
MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
HTML_PAGE = re.compile(r"<(?:html|body|head|!doctype)\b", re.IGNORECASE)

# --- furniture ---------------------------------------------------------------------
HAS_DIGIT = re.compile(r"\d")


def has_digit(text: str) -> bool:
    """Whether HAS_DIGIT finds anything; in ASCII text (where only 0-9 are digits) by deleting the digits
    and seeing whether anything went, a fifth of the cost of the pattern."""
    if text.isascii():
        data = text.encode()
        return data.translate(None, b"0123456789") != data
    return HAS_DIGIT.search(text) is not None


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?:\+\d{1,3}[\s.-]?)?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b")
URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
STREET = re.compile(r"\b\d{1,5}\s+(?:[A-Z][a-z]+\s){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Islands?|Lane|Ln|"
                    r"Drive|Dr|Boulevard|Blvd|Court|Ct|Way|Place|Pl)\b")
PROFILE_FIELD = re.compile(r"^[\W_]*[A-Za-z][A-Za-z ]{0,24}\s:\s")
PROFILE_LABEL = re.compile(r"^[\W_]*(?:bio|biography|about|author|writer|e-?mail|contact|phone|address|name|website|"
                           r"twitter|facebook|instagram|linkedin|location|joined)\b", re.IGNORECASE)
SOCIAL = re.compile(r"^[\W_]*(?:socials?|share( this)?( article)?|follow us.*|instagram|facebook|twitter|"
                    r"x|tiktok|linkedin|youtube|telegram|whatsapp|pinterest|reddit)\s*:?\s*$", re.IGNORECASE)
AUTHOR_BOX = re.compile(r"^[\W_]*(?:detail\s+author|about\s+the\s+(?:authors?|reporters?|writers?|journalists?|"
                        r"correspondents?|contributors?)|author\s+(?:bio|details?))\s*:?\s*$",
                        re.IGNORECASE)
# "About the author: The economy desk covers ...": the box's heading with its text on one line.
AUTHOR_BOX_INLINE = re.compile(r"^[\W_]*about\s+the\s+(?:author|reporter|writer|correspondent|contributor)\s*:\s*\S",
                               re.IGNORECASE)  # "About the journalists: both men ..." may be news
TOC = re.compile(r"^[\W_]*(?:table\s+of\s+contents|contents|in\s+this\s+article)\s*:?\s*$", re.IGNORECASE)
DISCLAIMER = re.compile(r"^[\W_]*disclaimer\s*:", re.IGNORECASE)
DISCLAIMER_OUTLET = re.compile(
    r"(?:views|policies|position|opinions?)\b[^.]*?\bof\s+(?:the\s+)?([A-Z][\w&'’.-]*(?:\s+[A-Z][\w&'’.-]*){0,4})\s*\.?\s*$")
CAPTION_PREFIX = re.compile(r"^[\W_]*(?:image|photo|picture|credit|caption|source|file photo)\s*:", re.IGNORECASE)
_CALLS = (r"comments?\s+(?:below|section)|share\s+your\s+(?:thoughts|insights|views)|what\s+are\s+your\s+thoughts|"
          r"let\s+us\s+know|subscribe|sign\s+up|newsletters?|follow\s+us|leave\s+a\s+comment|click\s+here|"
          r"read\s+more|explore\s+our\s+other\s+articles|related\s+articles?|"
          r"get\s+(?:the\s+)?latest\s+(?:news|articles|stories|updates|headlines)")
CALL_TO_ACTION = re.compile(rf"\b(?:{_CALLS})\b", re.IGNORECASE)
# The same words, in lowercase and without the word boundaries: searched in text lowered for its
# cues (see may_call_to_action), a pattern with no IGNORECASE and no leading \b rejects a sentence
# that holds a cue ("already", "known") in a third of the time.
CALL_TO_ACTION_LOWERED = re.compile(_CALLS)
# "Get the Harbour Post app and receive breaking news alerts", "Download our app for ...", "Get the
# Ledger daily brief: ...": a sentence that opens by telling the reader to get the outlet's app or
# briefing ("Users can download the app from Tuesday" reports one).
APP_OR_BRIEF_PROMO = re.compile(r"^(?:please\s+)?(?:get|download|install|receive)\s+"
                                r"(?:the|our|(?-i:[A-Z])[\w&.-]*(?:\s+(?-i:[A-Z])[\w&.-]*){0,3}['’]s)\s+(?:free\s+)?"
                                r"(?:[\w'’&.-]+\s+){0,4}(?:apps?|brief|briefing|digest|alerts)\b", re.IGNORECASE)
# What APP_OR_BRIEF_PROMO may open with: the letters its words start with, in either case, and
# the two I's that IGNORECASE reads as "i" (a test of every character checks it).
PROMO_FIRST_LETTERS = frozenset("pPgGdDiIrR\u0130\u0131")
# A word of each alternative above; most sentences hold none (see may_hold_any).
CALL_TO_ACTION_CUES = ("comment", "your", "know", "subscribe", "sign", "newsletter", "follow", "click", "read",
                       "explore", "related", "latest")

# Lines of page furniture by their shape, whatever the outlet: who wrote it and when, what to
# share or read next, the comment form, the copyright line, a photo's credit.
BYLINE_LEAD = r"^(?:by|written by|reporting by|words by|posted by)\s+"  # before the names
BYLINE = re.compile(BYLINE_LEAD + r"[A-Z][\w.'’-]*"
                    r"(?:[\s,|•·]+[\w.'’&:/-]+){0,12}$", re.IGNORECASE)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
TIME_OR_DATE = re.compile(
    r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.m\.(?!\s+(?-i:[A-Z][a-z]))|\s*[ap]m\b|\b)|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b"
    rf"|\b{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\.?,?\s+\d{{4}}\b"
    rf"|\b\d{{4}}\s+{_MONTH}\.?\s+\d{{1,2}}\b",
    re.IGNORECASE)
STAMP_WORDS = re.compile(r"^(?:published|posted|updated|last updated|first published|modified)\b", re.IGNORECASE)
# "4 min read", "Estimated reading time 2 minutes", "Reading time: 3 min".
READING_TIME = re.compile(r"^[\W_]*\d{1,2}\s*(?:-|\s)?min(?:ute)?s?(?:\s+read\b|[\W_]*$)"
                          r"|^[\W_]*(?:estimated\s+)?read(?:ing)?\s+time\s*:?\s*(?:about\s+)?\d{1,2}\s*(?:-|\s)?"
                          r"min(?:ute)?s?\b.{0,20}$", re.IGNORECASE)
# "Posted", "and last updated": a time stamp's words whose dates the page put on other lines.
STAMP_WORDS_ALONE = re.compile(r"^[\W_]*(?:and\s+)?(?:published|posted|updated|last updated|first published|"
                               r"modified)(?:\s+(?:on|at))?[\W_]*$", re.IGNORECASE)
SEPARATORS = re.compile(r"\s*[|•·]\s*")
# "Print edition: Wednesday 30 July 2025, page 14", "Mon, Mar 17, 2025 page 6": the page of the
# printed paper, under a label or straight after the date the line opens with ("Print edition to
# end on 31 March 2025" and "Seats won, 12.03.2025 (see page 2)" are a headline and a title).
PRINT_LABEL = re.compile(r"^[\W_]*print(?:ed)?\s+edition\s*[:·|–—-]", re.IGNORECASE)
WEEKDAY_FIRST = re.compile(r"^[\W_]*(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE)
PAGE_AFTER_DATE = re.compile(r"[\s,·|–—-]*page\s+[A-Z]?\d{1,3}\b", re.IGNORECASE)
SHARE_PART = re.compile(
    r"^(?:share(?:\s+(?:this\s+)?(?:article|story|post|page))?(?:\s+(?:on|via)\s+\w+|\s*:\s*\w+)?(?:\s+[\d,.]+)?|(?:a\s?){2,3}|tweet|whatsapp|email|e-mail|print|"
    r"facebook|x|twitter|telegram|linkedin|reddit|pinterest|flipboard|bluesky|threads|mail|post|pin|copy link|copy|"
    r"send(?:\s+by\s+\w+|\s+to\s+(?:a\s+)?friend)?|e-?mail\s+(?:to\s+a\s+friend|this(?:\s+(?:article|story|page))?)|"
    r"(?:news|story|article|content)\s+(?:id|code)\s*:?\s*\d+|save|comments?|[\d,.\s]+"
    r"(?:\s*(?:shares?|views?|comments?|likes?|reads?))?|(?:shares?|views?|comments?|likes?|reads?)\s*:?\s*[\d,.\s]*)$",
    re.IGNORECASE)
SHARE_LABEL = re.compile(r"^[\W_]*share(?:\s+this(?:\s+(?:article|story|post|page))?|\s+(?:article|story|post|page))?"
                         r"\s*(?:on|via)?\s*:?\s*", re.IGNORECASE)
# A paragraph of one sentence in which the outlet points to its own earlier story ("Previously we
# reported that ...", "Earlier we wrote about how ..."): a teaser whose link the scrape dropped.
# It opens with when, and says nothing after the pointer: "Earlier we reported that the airport
# was closed, but it has since reopened" is an update, "We looked at how the money was spent and
# found ..." a finding, "..., the union wrote" someone else's words.
OWN_COVERAGE = re.compile(r"^(?:[•*>–—-]\s*)?"
                          r"(?:earlier|previously|yesterday|recently|last\s+(?:week|month)|"
                          r"earlier\s+(?:this|last)\s+(?:week|month|year))\s*,?\s+"
                          r"we\s+(?:have\s+)?(?:reported|wrote|told you|covered|explained|looked at)\s+"
                          r"(?:that|about|on|how|why|what)\b", re.IGNORECASE)
# "We've written about the weak points of the grid before.": the pointer alone, time word last.
# "We've written before about ...", "We have covered this story before.": no clause after the
# pointer ("We have looked at what happens to a city when the water runs out before" is prose).
OWN_COVERAGE_BEFORE = re.compile(r"^(?:[•*>–—-]\s*)?we(?:[’']ve|\s+have)\s+(?:reported|written|covered)\s+"
                                 r"(?:(?:on|about)\s+(?!(?:what|how|why|when|whether)\b)[^.!?;:]{1,80}?\s+before"
                                 r"|(?:this|the|it)(?:\s+(?:story|issue|topic|subject))?\s+before"
                                 r"|before\s+(?:on|about)\s+[^.!?;:]{1,80}?)\W*$", re.IGNORECASE)
OWN_COVERAGE_GOES_ON = re.compile(r"[;:]|,\s+(?:but|and|while|although|though|yet|so|which)\b|\b(?:since|now|"
                                  r"found|according to)\b|,\s+(?:[\w'’.-]+\s+){0,5}(?:said|says|told|added|wrote)\b",
                                  re.IGNORECASE)
# The words that open a teaser of another story; a video's or a list's ("watch", "recommended") never
# runs into the story (see TEASER_CUE).
_READ_CUES = r"read also|also read|read more|read next|read|related|see also|more on this|earlier we wrote about|" \
             r"we wrote earlier"
TEASER = re.compile(rf"^[\W_]*(?:{_READ_CUES}|watch|listen|recommended|watch now|watch video|video)"
                    r"(?:\s*[:|–—]|\s+-)\s*\S", re.IGNORECASE)  # not a hyphen's word: "Related-party lending"
# A teaser's headline run into the paragraph after it, with no stop between ("Read also: Finland
# seizes tanker over cable damage He added that ..."): a headline in sentence case has no capital
# but its first word's and its names', so a word that opens sentences, capitalised after a word
# that ends in a small letter, is where the paragraph starts.
GLUED_OPENER = re.compile(r"(?<=[a-z0-9’'\")]) (?=(?:He|She|It|They|We|The|This|That|These|Those|On|In|At|By|"
                          r"According|As|After|Before|But|Meanwhile|Earlier|Later|Last|Since|While|When|A|An)\s)")
# The cue of a teaser that may run into the next paragraph: a colon or a bar after it, so
# "Related-party lending ..." and "Watch-list companies ..." are no teasers.
TEASER_CUE = re.compile(rf"^[\W_]*(?:{_READ_CUES})\s*[:|]\s*\S", re.IGNORECASE)
MAX_GLUED_TEASER_WORDS = 25
WHEN_WORD = re.compile(rf"(?:(?i:{_MONTH})|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
COMMENT_FORM = re.compile(r"leave a (?:reply|comment)|your e-?mail address will not be published|"
                          r"^[\W_]*(?:add|post|write|leave|submit) (?:a|your) (?:reply|comment|response)[\W_]*$|"
                          r"^[\W_]*(?:your e-?mail(?: address)? will (?:not|never) be (?:published|shared|displayed)|"
                          r"we (?:will not|won'?t|will never|never) (?:publish|share|display) your "
                          r"e-?mail(?: address)?)[\W_]*$|"
                          r"required fields are marked|add a comment|post comment|cancel reply|save my name|"
                          r"comments are closed|"
                          r"notify me of (?:follow-up|new)|"
                          r"must be logged in to (?:post|comment)|comment policy|\b\d+ characters? (?:left|remaining)|"
                          r"^post a comment:?$|^(?:no|\d+) comments?(?: yet)?\s*:?$|^characters? remaining\b|"
                          r"^loading comments|fill in your details below|you are commenting using|"
                          r"log in using one of these methods|^connecting to %s$",
                          re.IGNORECASE)
# A piece of each alternative above (see may_hold_any).
COMMENT_FORM_CUES = ("leave a ", "mail", "reply", "comment", "response", "required fields", "save my name",
                     "notify me of", "logged in", "character", "fill in your details", "log in using",
                     "connecting to %s")
FORM_FIELD = re.compile(r"^[\[(]?\s*(?:(?:your|name|e-?mail|address|enter|website|comment|message|submit|"
                        r"subscribe|send|post|cancel|reply|required|sign|up|in|log)\b[\s*:]*){1,5}[\])]?$",
                        re.IGNORECASE)
COPYRIGHT = re.compile(r"^[\W_]*(?:©|\(c\)\s|copyright\b)|all rights reserved|reproduction\b.{0,60}\b(?:permi|"
                       r"hyperlink|prohibited)|use of (?:the )?materials?\b.{0,60}\b(?:permi|hyperlink)", re.IGNORECASE)
COPYRIGHT_CUES = ("©", "(c)", "copyright", "all rights reserved", "reproduction", "material")  # see may_hold_any
TAGS = re.compile(r"^[\W_]*(?:tags?|topics|filed under|categories|keywords)\s*:", re.IGNORECASE)
# A photo credit closing a caption: "(Reuters/Anton Belsky)", "Photo: AFP.", "AFP via Getty Images".
PHOTO_CREDIT = re.compile(
    r"(?:\(\s*(?:photo(?:graph)?\s*(?:by|:)\s*)?[^()]{0,40}\b(?:reuters|afp|ap|epa|getty|xinhua|tass|anadolu|"
    r"bloomberg|sputnik|irna|wana|shutterstock|photo|file)\b[^()]{0,40}\)\s*\.?"
    r"|\b(?:reuters|afp|ap|epa|xinhua|tass|anadolu|sputnik|irna|wana)\s*/\s*[A-Z][\w.'’ -]{1,40}"
    r"|\b(?:photo|image|picture|credit)\s*:\s*[^.]{1,60}\.?"
    r"|\bgetty images|\bfile photo"
    r"|[-–—]\s*(?:aap|ap|afp|reuters|epa|xinhua|anadolu|pa|ani|bernama)\s+(?:images?|photos?|pictures?|pics?))\s*$",
    re.IGNORECASE)
# A piece of each alternative above but the bracketed one (see may_hold_any), looked for before the
# search, with a pair of brackets for that one (see may_be_photo_credit): prose seldom holds them.
PHOTO_CREDIT_CUES = ("/", "image", "photo", "pic", "credit")
WIDGET_HEADING = re.compile(
    r"^[\W_]*(?:trending(?: now)?|also read|read (?:also|more|next)|more (?:in|from|on) [\w &'’-]{1,30}|"
    r"top (?:videos|stories|news)|most (?:read|popular|viewed|shared)|"
    r"(?:latest|more)(?: [\w'’-]+){0,2} (?:news|stories|videos|photos|headlines|updates)|latest|live blog|"
    r"related(?: articles| stories| news| coverage| posts| content| reading)?|recommended(?: for you| stories)?|"
    r"popular(?: now| stories)?|"
    r"you (?:may|might) also like|editor'?s picks|don'?t miss|in other news|more stories|what to read next|"
    r"(?:other|more|similar)\s+(?:topics|stories|news|articles|reads)(?:\s+of\s+interest)?|"
    r"more news)[\W_]*$", re.IGNORECASE)
# "Popular on The Courier", "Most read on The Sydney Morning Herald": the outlet's name makes it long.
WIDGET_ON_OUTLET = re.compile(r"^[\W_]*(?:most\s+(?:popular|read|viewed)|popular|trending(?:\s+now)?)\s+on\s+"
                              r"(?-i:[A-Z])[\w &'’.-]{1,60}?[\W_]*$", re.IGNORECASE)
MAX_OUTLET_WIDGET_WORDS = 9
NUMBERED = re.compile(r"^\d{1,2}[.)]\s")
BARE_COUNT = re.compile(r"^[\d,.\s]+$")
# "HONG KONG/BENGALURU, March 4 (Meridian) –", "MOSCOW, January 17. /TASS/.", "WASHINGTON —":
# a city in capitals, then a date, an agency or a dash, before the first sentence.
# "TEHRAN, Iran (AP) --", "ISLAMABAD, Apr 15 (APP):", "KARACHI:": a double hyphen or a colon ends
# one as a dash does, and a country may stand between the city and the agency.
DATELINE = re.compile(
    r"^(?P<city>[A-Z][A-Z'’.]{2,}(?:[ /-][A-Z][A-Z'’.]+){0,3})(?:,\s*[A-Z][A-Za-z.]{1,12}(?: [A-Z][A-Za-z.]{1,12}){0,2}"
    r"(?=\s*[-–—(]))?,?"
    r"(?P<date>\s+(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8})(?:,\s*\d{4})?\.?)?"
    r"\s*(?P<agency>\((?:[^()]{1,30})\)|/[^/\s][^/]{0,29}/)?\.?\s*(?P<dash>(?:--?|[–—:])\s*)?(?=[A-Z“\"‘]|$)")
# "Hong Kong, (IPN - Indus Point News Agency - 28th Mar, 2025)", "Prague, May 5 (AP)": a city (its
# region and country in brackets: "Garhwa (Jharkhand) [India], June 25 (ANI):", or after a comma:
# "Barcelona, Spain (AP) –", where the gazetteer knows the country: not "Smith, Jones (2021) –"),
# then the agency in brackets (with a date, in them or before them); after a date and an agency a
# stop may close it before the dash ("Madrid, Apr 28 (EFE).- The"; not "Oppenheimer (2023). The").
DATELINE_BRACKETED = re.compile(r"^[A-Z][\w'’.]+(?:[ /-][A-Z][\w'’.]+){0,3}"
                                r"(?:,\s*(?P<country>[A-Z][\w'’.]+(?: [A-Z][\w'’.]+)?)(?=,?\s*[(A-Z\d]))?"
                                r"(?:\s*\([A-Z][\w .'’-]{1,30}\))?(?:\s*\[[A-Z][\w .'’-]{1,30}\])?,?\s*"
                                rf"(?:(?:(?i:{_MONTH})\.?\s+\d{{1,2}}|\d{{1,2}}\s+(?i:{_MONTH})\.?)(?:,\s*\d{{4}})?\s*"
                                r"\([A-Z][^()]{1,40}\)\.?"  # after a date, any agency: "Prague, May 5 (Reuters) -"
                                r"|\((?=[^()]*(?:\d|\b[A-Z]{2,}\b))[^()]{2,80}\))\s*(?:--?|[–—:])?\s*(?=[A-Z“\"‘])")
# "Madrid, 18 June 2025 –": a city in any case, a full date and a dash. Not "Friday, 6 June 2025 —"
# or "Election Day, Nov. 5 –": a timeline's entries, whose dates are what they say.
DATELINE_CITY_DATED = re.compile(r"^(?!(?:[A-Z][\w'’.]+[ /-]){0,3}(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
                                 rf"Sunday|Day|(?i:{_MONTH}))\b)"
                                 r"[A-Z][\w'’.]+(?:[ /-][A-Z][\w'’.]+){0,3},\s*"
                                 rf"(?:(?i:{_MONTH})\.?\s+\d{{1,2}},?|\d{{1,2}}\s+(?i:{_MONTH})\.?)\s*\d{{4}}"
                                 r"\s*(?:--?|[–—])\s*(?=[A-Z“\"‘])")
# A credit that says it is a photo's: "(Photo: IANS)", "(Photo by Jane Doe/Harbour Wire)". It closes a
# caption however long (a wire's caption may add a paragraph of context).
PHOTO_MARKED = re.compile(r"\((?:file\s+)?(?:photo(?:graph)?|image|picture)\s*(?:by\b|:|/)[^()]{1,60}\)\.?$",
                          re.IGNORECASE)
DASH_END = re.compile(r"(?:--?|[–—:])\s*$")
# "Investing.com -- Shares of ... rallied": the outlet's web address and a wire's double hyphen,
# opening the story (see MAX_PARAGRAPHS_BEFORE_DOMAIN). A single dash is a company's name in the
# news: "Booking.com – The company said ...", "Match.com – A dating site that ...".
DOMAIN_DASH = re.compile(r"^(?:by\s+)?[A-Z][\w-]*(?:\.[a-z]{2,6}){1,2}\s*--\s*(?=[\w“\"‘])", re.IGNORECASE)
# "(Reuters) - Apple Inc shares fell": the agency in brackets and a dash, with no city.
AGENCY_DASH = re.compile(r"^\([A-Z][\w .&'’-]{1,30}\)\s*(?:--?|[–—])\s*(?=[A-Z“\"‘])")
# A wire's tag after a paragraph's last sentence: "(ANI)", "(AP)".
AGENCY_TAG = re.compile(r"(?<=[.!?\"”’])\s*\((?:[A-Z]{2,6}|[A-Z][a-z]{2,12})\)$")
# "NEW DELHI" on a line of its own before the story: a dateline without date, agency or dash.
LONE_PLACE = re.compile(r"[A-Z][A-Z'’.]{2,}(?:[ -][A-Z][A-Z'’.]+){0,2}")
# "Karachi: Prime Minister Shehbaz Sharif sought ...": a place in any case and a colon, before the
# story's first sentence only (later, "Smith: ..." may be a speaker, "Update: ..." a news update).
# Before a colon a name may as well be a speaker's ("Zelensky: Ukraine will not give up ...") or a
# source's ("Police: Three people were killed ..."): it is a place only where the story puts
# something in it ("... the cabinet meeting in Karachi"), and the line is no transcript's first
# answer ("Stubb: We have to be prepared ...", with "Reporter: ..." on the next line). That the
# gazetteer knows the name is not enough: "Chad: ...", "Paris: ..." may be a speaker, "Iran: ...,
# ministry says" a source.
COLON_DATELINE = re.compile(r"^(?P<place>(?P<city>[A-Z][\w'’.-]*"
                            r"(?:\s+(?:[A-Z][\w'’.-]*|de|da|do|del|al|el|la|le|es)){0,3})"
                            r"(?:,\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)?)?):\s+(?=[A-Z][^\W\d_]*(?:[’']s)?\s)")
SPEECH_START = re.compile(r"(?:I|I'm|I’m|We|We're|We’re|You|My|Our|Yes|No|Well)\b")
SPEAKER_LABEL = re.compile(r"^[A-Z][^\W\d_]*(?:\s[A-Z][^\W\d_]*){0,2}\s?:\s")
MIN_WORDS_AFTER_COLON_DATELINE = 6


def colon_dateline_end(line: str, following: str, story: str) -> int:
    """Where the first paragraph's prose starts after a colon dateline (see COLON_DATELINE), or 0;
    `following` is the next line of text, `story` the whole text."""
    match = COLON_DATELINE.match(line)
    if match is None or len(line[match.end():].split()) < MIN_WORDS_AFTER_COLON_DATELINE \
            or SPEECH_START.match(line, match.end()) or SPEAKER_LABEL.match(following):
        return 0
    placed = re.compile(rf"\b(?:in|near|outside|across|around)\s+(?:the\s+)?{re.escape(match.group('city'))}\b")
    return match.end() if placed.search(story) else 0


@functools.cache
def world_places() -> frozenset[str]:
    """The names and variants of the places in the engine's gazetteer (generator/data/world.yml)."""
    return frozenset(name for entry in world_gazetteer() if entry.kind == "place"
                     for name in (entry.name, *entry.variants))


# "Oct. 24 (UPI) --", "4 March (Meridian) -": a date and an agency in brackets, then a dash, no city.
DATELINE_DATED = re.compile(rf"^(?i:{_MONTH})\.?\s+\d{{1,2}},?\s*\([^()]{{1,30}}\)\s*(?:--?|–|—)\s*(?=[A-Z“\"‘])"
                            rf"|^\d{{1,2}}\s+(?i:{_MONTH})\.?\s*\([^()]{{1,30}}\)\s*(?:--?|–|—)\s*(?=[A-Z“\"‘])")
# Where the readers' comments start, after the story: a heading "5 thoughts on “Hain finally resigns”",
# "One Reply to “...”" (with no sentence end: prose may start so). Everything after is comments, the
# comment form and the page's footer. A blog's "Leave a Reply" starts them only over its form (see
# `opens_comments`): alone, it may be a link under the headline.
COMMENTS_HEADING = re.compile(r"^[\W_]*(?:\d+|one|no)\s+(?:thoughts?|responses?|comments?|repl(?:y|ies)|reactions?)\s+"
                              r"(?:on|to)\s+[“\"‘'«].{1,200}$", re.IGNORECASE)
# "Comments (14)", "Discussion (3)": the count of readers' comments over them.
COMMENTS_COUNTED = re.compile(r"^[\W_]*(?:comments?|discussion|responses?|replies|reactions?)\s*"
                              r"(?:\(\d[\d,]*\)|\[\d[\d,]*\])\s*:?$",
                              re.IGNORECASE)
LEAVE_A_REPLY = re.compile(r"^[\W_]*leave\s+a\s+reply\b", re.IGNORECASE)
COMMENT_FORM_NEAR = 3  # lines after "Leave a Reply" in which its form starts
# "Comments will be moderated.", "Comments are checked by a moderator before they appear",
# "All comments are subject to approval": the rules over the readers' comments. "Comments will be
# reviewed before a final decision" (a consultation) and "All posts will be reviewed by a joint
# commission" (an army's) are news: only moderation, or a moderator, makes them rules.
COMMENT_RULES = re.compile(r"^[\W_]*(?:all\s+)?(?:readers'?\s+)?comments?\s+(?:are|will\s+be|may\s+be|must\s+be)\s+"
                           r"(?:(?:\w+\s+){0,2}(?:moderated|pre-moderated)\b|(?:\w+\s+){1,2}by\s+(?:a|our)\s+"
                           r"moderators?\b|subject\s+to\s+(?:moderation|approval)\b)", re.IGNORECASE)
MAX_COMMENT_RULE_WORDS = 16
# The rules close a page: after them come a few short lines (more rules, the form, the footer).
MAX_LINES_AFTER_COMMENT_RULES = 8
MAX_WORDS_AFTER_COMMENT_RULES = 40
# Said by someone: then it is news about moderation, or a piece of advice, not the page's own words.
REPORTED = re.compile(r"\b(?:said|says|say|told|according|reported|announced|added|confirmed|wrote|claims?|"
                      r"urged|urges|warned|per)\b|[\"“”]", re.IGNORECASE)
JSON_PREFIX = re.compile(r"^\s*\[?\{\s*\"[^\"]{1,40}\"\s*:")


def glued_teaser_end(line: str) -> int:
    """Where the paragraph starts after a teaser run into it (see GLUED_OPENER), or 0: the teaser
    is a cue and a headline of a few words without a stop, the rest a sentence of its own."""
    cue = TEASER_CUE.match(line)
    if cue is None:
        return 0
    stop = SENTENCE_BREAK.search(line, cue.end())
    for opener in GLUED_OPENER.finditer(line, cue.end(), stop.start() if stop else len(line)):
        if len(line[:opener.start()].split()) > MAX_GLUED_TEASER_WORDS:
            return 0
        following = line[opener.end():].split()
        if len(following) < 6 or not ends_with_a_stop(line):
            return 0
        # Before a capital the opener is a title-case headline's word ("Ends After Pay Deal") or
        # starts a name ("The Hague"): the paragraph starts later, if at all.
        if not following[1][:1].isupper() or WHEN_WORD.match(following[1]):  # "On March 3, ..."
            return opener.end()
    return 0


def domain_dash_end(line: str) -> int:
    """Where the first paragraph's prose starts after the outlet's web address and a dash, or 0."""
    match = DOMAIN_DASH.match(line)
    return match.end() if match else 0


def dateline_end(line: str) -> int:
    """Where the prose of a line starts after a dateline (its length when the dateline stands
    alone on its line), or 0 when it has none."""
    match = DATELINE.match(line)
    if match is None or not (match.group("date") or match.group("agency") or match.group("dash")):
        # The other shapes hold a bracket, or a dash after a year: most lines of prose have neither,
        # and the patterns backtrack over every capitalised word that opens the line.
        bracket = "(" in line
        bracketed = DATELINE_BRACKETED.match(line) if bracket else None
        if bracketed and bracketed.group("country") and bracketed.group("country") not in world_places():
            bracketed = None
        match = bracketed or (DATELINE_DATED.match(line) if bracket else None) \
            or (DATELINE_CITY_DATED.match(line) if may_hold_dash(line) else None) or AGENCY_DASH.match(line)
        # "Prague, May 5 (AP)" has its date, "Hong Kong, (IPN - ... 28th Mar, 2025)" a date inside;
        # "The United Nations (UN) Security Council" has neither: a name and its initials.
        if match is None or not (HAS_DIGIT.search(match.group(0)) or DASH_END.search(match.group(0))):
            return 0
    return match.end()


def may_hold_dash(line: str) -> bool:
    """Whether the line holds a dash of a dateline's ("--", "-", "–", "—")."""
    return "-" in line or "–" in line or "—" in line


# A short biography of the writer after the story: their name, then what they do ("Jane Roe covers
# energy for The Courier. She previously ...").
BIO_START = re.compile(r"^(?P<name>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3})\s+"
                       r"(?:covers|writes\s+(?:about|on|for)|reports\s+(?:on|for|from)|edits|joined\s+(?-i:[A-Z])|"
                       r"has\s+(?:covered|reported\s+(?:on|for|from)|written\s+(?:about|on|for))|"
                       r"is\s+(?:a|an|the|our|[A-Z][\w&'’. -]{0,40}[’']s)\s+[^.]{0,60}?\b(?:correspondent|reporter|"
                       r"editor|writer|journalist|columnist|producer|contributor|analyst|presenter)s?\b)",
                       re.IGNORECASE)
MAX_BIO_WORDS = 60
WRITER_NAME = re.compile(r"[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3}")


def writer_names(byline: str) -> list[str]:
    """The names a byline gives, after its "By" ("By Jane Roe and John Smith, Brussels", "Jane Roe |
    Energy Editor"), in lowercase: a bio after the story starts with one."""
    rest = re.sub(BYLINE_LEAD, "", byline.strip(), flags=re.IGNORECASE)
    rest = SEPARATORS.split(rest)[0]
    return [found.group(0).lower() for part in re.split(r",\s*|\s+and\s+", rest)
            if (found := WRITER_NAME.match(part.strip()))]


def is_writer_bio(line: str, writers: set[str], in_author_box: bool) -> bool:
    """A short paragraph that opens with the byline's name, or any name under an "About the
    author" heading, and says what the person does."""
    if not (in_author_box or writers):  # no name a bio could open with: most pages, most lines
        return False
    found = BIO_START.match(line) if len(line.split()) <= MAX_BIO_WORDS else None
    return found is not None and (in_author_box or found.group("name").lower() in writers)


BYLINE_SMALL_WORDS = frozenset({"and", "of", "the", "for", "in", "at", "staff", "correspondent", "reporter", "editor",
                                "newsroom", "desk", "team"})
# "Ho Ka-yan, Asia Editor": a name and a newsroom role, alone on a line.
NAME_AND_ROLE = re.compile(r"^[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3},\s+(?:[A-Z][\w-]*\s+){0,3}"
                           r"(?:Editor|Correspondent|Reporter|Writer|Columnist|Contributor|Bureau Chief|Producer)$")
# "From Harbour Radio's Ana Ruiz": a live blog's post by an outlet's writer.
FROM_WRITER = re.compile(r"^From\s+(?:[A-Z][\w&.-]*\s+){0,3}[A-Z][\w&.-]*[’']s?\s+"
                         r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){1,3}$")  # a writer's name: two words or more
# "Nick Vale - Harbour News Europe correspondent, in Riga": a writer's name, a dash, their role.
NAME_DASH_ROLE = re.compile(r"^[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,2}\s+[-–—|]\s+[^.!?]{0,60}\b"
                            r"(?i:correspondent|reporter|editor|writer|columnist|contributor|producer|bureau chief)\b")
# "Harju Herald News Desk", "World Newsroom": the desk that wrote it.
DESK = re.compile(r"^(?:[A-Z][\w'’&-]*\s+){1,4}(?:News\s+)?(?:Desk|Newsroom|Staff|Bureau)$")
# A caption that says it is one ("In this pool photograph distributed by …", "This handout image shows …").
CAPTION_OPENER = re.compile(r"^[\W_]*(?:in\s+)?this\s+(?:(?:pool|file|handout|undated|aerial|satellite|screen)\s+)*"
                            r"(?:photo(?:graph)?|image|picture|video\s+grab|screen\s?grab|screenshot)\b"
                            # "Cover photo: Ferries ...", "Main image: ...": a picture's label opens the line
                            r"|^[\W_]*(?:cover|main|top|lead|header|featured?|file|hero)\s+"
                            r"(?:photo(?:graph)?|image|picture|pic)\s*:\s*(?-i:[A-Z])[^?]*$", re.IGNORECASE)
AGENCIES = (r"(?:afp|reuters|ap|epa|upi|pti|ani|ians|dpa|kyodo|yonhap|getty(?:\s+images)?|bloomberg|anadolu|xinhua|"
            r"tass|sputnik)")
# A credit on its own, or closing a caption: "… [Ola Berg/Pool via AFP]", "X/HANDOUT via REUTERS",
# "(Photo by Ola BERG / POOL / AFP", "{Outlet]": a bracket holding a slash or "via", at the end.
_PHOTO_BY = rf"(?:(?:file|pool|handout|staff|stock|press|{AGENCIES})\s+)?photo(?:graph)?s?\s+by"
_WHO = r"[\w .'’-]"  # a credit's name before its slash
CREDIT_ONLY = re.compile(rf"^[\W_]*(?:\(\s*)?{_PHOTO_BY}\b|\bvia\s+{AGENCIES}\s*[\])}}]?\s*\.?$"
                         r"|[\[{(][^\[\]{}()]{1,60}(?:/|\bvia\b)[^\[\]{}()]{0,60}[\]})]\s*\.?$", re.IGNORECASE)
CREDIT_ONLY_CUES = ("photo", "via", "(", "[", "{")  # a piece of each alternative (see may_hold_any)
MAX_CAPTION_WORDS = 40
# A credit alone on its line as "who/agency": "Pics/AFP", "Bill Greenblatt/UPI", "Reuters/File".
CREDIT_SLASH = re.compile(rf"^{_WHO}{{1,40}}/\s*{AGENCIES}\s*$|^{AGENCIES}\s*/\s*(?:file|[A-Z]{_WHO}{{1,40}})\s*$",
                          re.IGNORECASE)
# A caption that closes on its credit: "… against the proposal. File Photo by Bill Greenblatt/UPI",
# "… in Mandalay, central Myanmar. Pics/AFP".
CREDIT_AT_END = re.compile(rf"(?:^|[.!?”\"]\s+)(?:{_PHOTO_BY}\s+[^.!?]{{2,60}}|{_WHO}{{1,30}}/\s*{AGENCIES}\s*)$",
                           re.IGNORECASE)
CREDIT_AT_END_CUES = ("photo", "/")  # see may_hold_any
# "… that swept through the city. Robert Gauthier/Los Angeles Times/TNS": a name and the outlets
# it worked for, slash after slash, closing a caption.
CREDIT_CHAIN_AT_END = re.compile(r"[.!?”\"]\s+(?:[A-Z][\w.'’-]*\s+){1,3}[A-Z][\w.'’-]*"
                                 r"(?:\s*/\s*[A-Z][\w.'’&-]*(?:\s+[A-Z][\w.'’&-]*){0,3}){2,3}$")


# "ADEM ALTAN / TNS": a photographer's name and an agency's initials, in capitals, either side of a slash.
CREDIT_CAPITALS = re.compile(r"^[A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){1,3}\s*/\s*[A-Z]{2,6}$")  # a name of 2+ words
# "Photo credit Charlie Langton/WWJ": a credit's label without a colon.
CREDIT_LABEL = re.compile(r"^[\W_]*(?:photo|image|picture|video)\s+credits?\b"
                          # "Screenshot.", "Screenshot: Red Eléctrica / X", "Video screengrab via YouTube"
                          r"|^[\W_]*(?:video\s+)?screen\s?(?:shot|grab)s?(?:\s*(?:[:/|–—-]|from|via)\s*"
                          r"(?:(?-i:[A-Z@])[\w.&'’@-]*\s*(?:/\s*)?){1,5})?[.\s]*$", re.IGNORECASE)
# "Associated Press|": a news agency's name alone on its line.
AGENCY_ALONE = re.compile(r"^[\W_]*(?:the\s+)?(?:associated\s+press|reuters|agence\s+france-presse|afp|ap|upi|dpa|"
                          r"tns|tribune\s+news\s+service|xinhua|tass|anadolu(?:\s+agency)?|getty\s+images)[\W_]*$",
                          re.IGNORECASE)


def is_credit_line(line: str) -> bool:
    """A line that is only a photo's credit ("X/HANDOUT via REUTERS", "Photo: Finnish Police")."""
    return len(line.split()) <= 12 and bool(CREDIT_ONLY.search(line) or CAPTION_PREFIX.match(line)
                                            or CREDIT_SLASH.match(line) or CREDIT_CAPITALS.match(line)
                                            or CREDIT_LABEL.match(line))


SHARED_CAPTION_START = 30  # characters an image's alt text and its caption line share
_NAME = r"(?:[A-Z][a-zà-ÿ'’-]+\s){1,2}[A-Z][a-zà-ÿ'’-]+"
# "Enoch Lau", "Ana Ruiz and Li Wei", "A, B and C": writers' names alone on a line.
BARE_NAME = re.compile(rf"{_NAME}(?:(?:,\s*|\s+and\s+){_NAME}){{0,3}}")


# A picture's label alone on its line, its credit on the next ("Photo:" / "Jeff Chiu/Associated Press").
LONE_PHOTO_LABEL = re.compile(r"^[\W_]*(?:photo(?:graph)?|image|picture|pic|credit|photo credit)\s*:\s*$",
                              re.IGNORECASE)
MAX_CREDIT_WORDS = 8


# A credit's words: names, and the few small words between them ("Jeff Chiu/Associated Press",
# "Rosa Quintero for The Courier", "AFP via Getty Images").
CREDIT_WORD = re.compile(r"(?:[A-Z0-9][\w.'’&-]*(?:/[A-Z][\w.'’&-]*)*|for|via|of|and|the|/)$")


def labels_joined_to_credits(lines: list[str]) -> tuple[list[str], set[int]]:
    """A picture's label alone on its line joined to the credit on the next, as one credit line;
    and which lines (of those returned) are the caption over such a label: a page that sets its
    label and credit apart so (the "Photo:" / "Jeff Chiu/Associated Press" of one layout) sets
    the caption over them too, one sentence though it is ("Regulators said depositors ...")."""
    if not any(len(line) <= 20 and LONE_PHOTO_LABEL.match(line) for line in lines):
        return lines, set()
    joined: list[str] = []
    captions: set[int] = set()
    for line in lines:
        words = line.split()
        if joined and LONE_PHOTO_LABEL.match(joined[-1]) and len(words) <= MAX_CREDIT_WORDS \
                and not ends_with_a_stop(line) and all(CREDIT_WORD.match(w) for w in words):
            joined[-1] = f"{joined[-1].strip()} {line}"
            above = len(joined) - 2
            caption = joined[above] if above >= 0 else ""
            if caption and len(caption.split()) <= MAX_CAPTION_WORDS and not MARKED_HEADING.match(caption) \
                    and not SENTENCE_BREAK.search(caption):
                captions.add(above)
        else:
            joined.append(line)
    return joined, captions


def belongs_to_furniture(previous: Block, line: str, kind: str) -> bool:
    """Whether the block before a furniture line is part of it: the caption a credit closes (a
    line with no sentence's end, "Barges at dawn" over "AUTHORITY/HANDOUT via REUTERS"; a
    paragraph before a credit may be the story's), an image's alt text repeating the start of
    its caption, or a bare name over the article's date or counters (its byline)."""
    text = previous.text
    if kind == "image caption":
        if is_credit_line(line) and previous.is_heading and len(text.split()) <= MAX_CAPTION_WORDS:
            return True
        shared = min(len(text), SHARED_CAPTION_START)
        return len(text.split()) <= MAX_CAPTION_WORDS and shared >= 20 and line[:shared] == text[:shared]
    return kind in ("date line", "dateline", "social links") and previous.is_heading and bool(BARE_NAME.fullmatch(text))


# A short label ending in a bracketed name, with no sentence of its own: "Lock keepers at Varde {Lakeland Wire]".
BRACKET_CREDITED = re.compile(r"[\[{(](?:[A-Z][\w.'’&-]*\s*){1,4}[\]})]$")
STOCK_PHOTO = re.compile(r"\billustration only\b|\billustrative (?:image|photo|picture|purposes)\b"
                         r"|^[\W_]*(?:(?:image|photo|picture)s?\s+(?:used\s+)?)?for\s+illustrat(?:ion|ive)(?:al)?\s+"
                         r"purposes(?:\s+only)?[\W_]*$"
                         r"|\b(?:source|photo|image)\s*:\s*(?:pixabay|unsplash|pexels|shutterstock|depositphotos|"
                         r"istock|adobe stock|wikimedia commons)\b", re.IGNORECASE)
STOCK_PHOTO_CUES = ("illustrat", "pixabay", "unsplash", "pexels", "shutterstock", "depositphotos", "istock",
                    "adobe stock", "wikimedia commons")  # see may_hold_any
ADVERTISEMENT = re.compile(r"^[\W_]*(?:advertisement|advertising|sponsored(?: content)?|ad|promoted|"
                           r"story continues (?:below|after)(?: (?:this|the))?(?: (?:ad|advert|advertisement))?|"
                           r"scroll to continue(?: with content)?)[\W_]*$",
                           re.IGNORECASE)
# A writer's bio ends by asking the reader to follow them: "… Follow her on Twitter @fran_chambers."
FOLLOW_PROMPT_AT_END = re.compile(r"[.!?]\s+(?:follow|find)\s+(?:him|her|them|me)\s+on\s+"
                                  r"(?:twitter|x|instagram|threads|bluesky|mastodon|linkedin|facebook|tiktok)\b"
                                  r"(?:\s*:?\s*@[\w.]+)?\s*[.!]?\s*$", re.IGNORECASE)
# An icon's alt text: "Chevron icon It indicates an expandable section or menu ...", "Close icon".
# An interface's word before it; "A fashion icon", "## A National Icon" are headings.
ICON_ALT_TEXT = re.compile(r"^[\W_]*(?:(?:chevron|close|search|menu|arrow|share|play|pause|expand|collapse|caret|"
                           r"hamburger|plus|minus|info|print|email|external|link|down|up|left|right|back|next|"
                           r"previous)\s+){1,2}(?-i:icon)\b(?:\s*$|\s+(?:it|this)\s+(?:indicates|shows|means|opens|marks)\b)",
                           re.IGNORECASE)
# A widget's maker, alone on its line: "Powered by automated translation", "Powered by Example Maps".
POWERED_BY = re.compile(r"^[\W_]*powered\s+by\s+[^.!?]*$", re.IGNORECASE)  # no sentence: "Powered by cheap gas."
# A note that the story will change, not part of it: "Updates will follow as the news develops.",
# "This story is developing and will be updated.", "Check back for updates."
# The page speaks of itself ("This story ..."): "The report was updated in 2023 to ..." is prose.
UPDATE_NOTE = re.compile(r"^[\W_]*(?:(?:further\s+|more\s+)?updates?\s+(?:will|to)\s+follow"
                         r"|check\s+back\s+(?:later\s+|soon\s+)?for\s+(?:updates|more)"
                         r"|this\s+is\s+a\s+(?:developing|breaking)\s+(?:news\s+)?story"
                         r"|this\s+(?:story|article|report|post|page)\s+(?:is\s+developing|will\s+be\s+updated"
                         r"|is\s+being\s+updated|may\s+be\s+updated|has\s+been\s+updated))\b", re.IGNORECASE)
# Who else worked on the story, after it: "—With assistance from Steven T. Dennis.", "Additional
# reporting by Jane Doe in Oslo", "Contributing: John Roe".
# Only names follow ("in Oslo" at most): "With assistance from Qatar, the two sides agreed ..." is prose.
CONTRIBUTORS = re.compile(r"^[\W_]*(?:with\s+(?:the\s+)?assistance\s+(?:from|of)|(?:with\s+)?additional\s+reporting\s+"
                          r"(?:by|from)|contributing(?:\s+reporting)?(?:\s+by)?\s*:?|contributors?\s*:)"
                          r"(?:\s+(?:(?-i:[A-Z])[\w.'’-]*,?|and|&|in|from))+\s*[.;]?\s*$", re.IGNORECASE)
# A picture's or video's file name left as a line: "exp svb collapse FST031408 cnni world_0002.png".
MEDIA_FILE = re.compile(r"\S\.(?:png|jpe?g|gif|webp|avif|svg|bmp|tiff?|mp4|mov|webm|m4v)[)\]]?\s*$", re.IGNORECASE)
# A stock ticker's row: a symbol or company in capitals, then prices and changes or "n.a." cells.
MARKET_CELL = re.compile(r"^(?:[+\-−]?\$?\d[\d,]*(?:\.\d+)?%?|n\.?\s?a\.?|n/a)$", re.IGNORECASE)
MIN_MARKET_CELLS = 3


def is_market_row(line: str) -> bool:
    """A row of a stock widget: at least three price cells and otherwise only words in capitals
    ("CUBI CUSTOMERS BANCORP INC. 46.41 +0.10 +0.22%", "FRC n.a. n.a. n.a. n.a.")."""
    if not any(ch.isdigit() for ch in line) and "n.a" not in line.lower() and "n/a" not in line.lower():
        return False
    tokens = line.split()
    is_cell = [MARKET_CELL.match(token) is not None for token in tokens]
    return sum(is_cell) >= MIN_MARKET_CELLS and any(t[:1].isalpha() for t in tokens) \
        and all(cell or not any(c.islower() for c in t) for t, cell in zip(tokens, is_cell, strict=True))


def is_column_heads(line: str) -> bool:
    """A table's column heads: a few capitalised words or signs, no sentence ("Ticker Security Last Change %")."""
    tokens = line.split(maxsplit=8)  # a ninth part, if any, is the rest of a line too long for heads
    return 2 <= len(tokens) <= 8 and not ends_with_a_stop(line) and all(t[:1].isupper() or not t[:1].isalnum()
                                                                       for t in tokens)


# What an embedded post or video shows until the reader agrees to its cookies: "We need your
# consent to load this social media content", "This post from X is hidden until you agree: showing
# it lets the platform set cookies on your device", and its button ("Allow and show the post").
CONSENT_NOTICE = re.compile(r"\b(?:your|you)\b.{0,80}\b(?:consent|agree|accept|permission|cookies)\b"
                            r"|\b(?:consent|cookies)\b.{0,80}\b(?:your|you)\b", re.IGNORECASE)
# The notice points at the thing it hides: "this post", "this social media content" (a law on
# cookies and consent, reported, points at nothing on the page).
EMBEDDED = re.compile(r"\bthis\s+(?:[\w-]+\s+){0,2}(?:post|content|video|embed|media|tweet|element|clip|map)\b",
                      re.IGNORECASE)
CONSENT_BUTTON = re.compile(r"^[\W_]*(?:allow|accept|agree|load|show|enable)"
                            r"(?:\s+(?:and|&)\s+(?:show|load|continue))?(?:\s+(?:all|the|this|external|social media))*"
                            r"\s+(?:content|post|video|cookies|embed)s?[\W_]*$", re.IGNORECASE)
# A live player's state left as text: "This live stream has ended.", "The live broadcast will start soon".
LIVE_STATE = re.compile(r"^[\W_]*(?:this|the)\s+live\s*(?:stream|broadcast|video|feed|blog)\s+(?:has\s+(?:now\s+)?ended"
                        r"|is\s+(?:now\s+)?(?:over|closed|offline|unavailable)|will\s+(?:start|begin)\s+(?:soon|shortly))"
                        r"[\W_]*$", re.IGNORECASE)
# A line of hashtags only: "#Blackout #Spain #Portugal".
HASHTAGS = re.compile(r"^\s*(?:#\w[\w-]*[\s,.;·•|]*){3,}$")
# An agency's name between slashes, alone on its line: "/ritzau/", "/TASS/".
AGENCY_SLASHES = re.compile(r"^\s*/[A-Za-z][\w .&-]{1,30}/(?:\s*/?[A-Za-z][\w.&-]{1,20}/?)?\s*$")  # "/ritzau/AFP"
# "JOIN US ON SIGNAL", "Follow our coverage of the war on @outlet", "Subscribe to our channel".
SOCIAL_CALL = re.compile(r"^[\W_]*(?:join us on|follow (?:us|him|her|them|me|our [\w ]{1,40}?) on|"
                         r"subscribe to (?:us|our)|find us on|like us on|"
                         r"follow [\w.'’-]{2,30} on (?:facebook|twitter|x|instagram|telegram|"
                         r"whatsapp|tiktok|linkedin|youtube|threads|bluesky)\b)", re.IGNORECASE)
VIEW_COUNTER = re.compile(r"^[\W_]*(?:total\s+)?(?:views|shares|reads|comments|likes)\s*:?\s*[\d.,]+\s*[km]?\s*$"
                          r"|^[\W_]*(?:\d+\s+)?(?:view|open|see)\s+(?:the\s+)?(?:gallery|photos|slideshow)[\W_]*$",
                          re.IGNORECASE)

# A caption quoting its subject, with no full stop: 'Aras has "a strong personality", his grandfather
# Mehmet says'. Prose ends a sentence with its punctuation; a headline ("Oil will keep climbing,
# OPEC says") quotes nobody.
QUOTE_CAPTION = re.compile(r"[,”\"]\s+(?:[\w'’-]+\s+){0,4}(?:says|said)$")

# Where someone stands in a photograph: "(left)", "(second right)", "(pictured)", "(L)".
PHOTO_POSITION = re.compile(r"\((?:(?:second|third|far|centre|center|front|back|top|bottom)[ -])?"
                            r"(?:left|right|centre|center|pictured|above|below|L|R|C)\)")

# A caption credited to whoever took the picture: "… escorted away on March 2 (Border Guard)".
CREDITED_CAPTION = re.compile(r"\((?:[A-Z][\w.'’&/-]*\s*){1,4}\)$")
# "(Reporting by …; Editing by …)": the wire's credits for the story.
CREDITS = re.compile(r"^[\W_]*(?:additional\s+)?(?:reporting|writing|editing|compiled|produced)\s+by\b.*"
                     r"(?:;|\b(?:editing|writing)\s+by\b)"
                     r"|^[\W_]*with inputs? from [\w ,&/-]{1,60}[\W_]*$"
                     # "Some information for this report provided by AP", "Jane Doe contributed to this report."
                     r"|^[\W_]*(?:some\s+)?(?:information|material|reporting)\s+(?:for|in)\s+this\s+(?:report|article|story)"
                     r"\s+(?:was\s+|is\s+)?(?:provided|supplied|contributed|gathered)\s+by\s+"
                     r"(?!.*\b(?:which|who|that|because|but|after|before)\b)[^.!?]{1,100}[.!]?$"
                     r"|^[\W_]*information\s+from\s+[^.!?]{1,60}\s+(?:was|is)\s+(?:used|included)\s+in\s+this\s+"
                     r"(?:report|article|story)\W*$"
                     # names, and where they were: "Amina Oduya in Lagos contributed to this report."
                     r"|^(?-i:[A-Z])[\w.'’-]*(?:\s+(?:(?-i:[A-Z])[\w.'’-]*|and|in|from|at|of)){0,12}\s+contributed\s+"
                     r"(?:reporting\s+(?:from\s+[^.!?]{1,40})?|to\s+this\s+(?:report|article|story))\W*$",
                     re.IGNORECASE)
# A reader's account, paywall, rights or standards notice: about the outlet, not the story ("This
# copy is for your personal, non-commercial use", "Get unlimited access to ... from $4 a month").
OUTLET_NOTICE = re.compile(
    r"\b(?:your inbox|privacy policy|terms of (?:use|service)|free account|join the conversation|first to comment|"
    r"logged in|log in to|create an account|support our journalism|reader-funded|free to read|full access|"
    r"notify me of|why you can trust|our standards|trust principles|appeared in the .{0,60}print edition|"
    r"sign up for|by signing up)\b", re.IGNORECASE)
# A piece of each alternative above (see may_hold_any): the search took a second per 2,000 articles.
# Each piece is as long as the alternative's literal text allows: single words ("free", "log",
# "print") let through a quarter of all sentences, which the search then had to reject.
OUTLET_NOTICE_CUES = ("your inbox", "privacy policy", "terms of ", "free account", "join the conversation",
                      "first to comment", "logged in", "log in to", "create an account", "support our journalism",
                      "reader-funded", "free to read", "full access", "notify me of", "why you can trust",
                      "our standards", "trust principles", "print edition", "sign up for", "by signing up")
# The page's rights notice, its paywall's question and a broker's risk warning, each a line of its
# own in the shape pages give it: "This copy is for your personal, non-commercial use only.",
# "... contact our reprints desk.", "Looking to read the full article?", "Risk Disclosure: Trading
# in ...". In other words and shapes they are news ("Aid groups want unrestricted access", "The
# newspaper closed its reprints department", "The regulator's new risk disclosure rules").
PAGE_NOTICE = re.compile(r"\bfor your (?:own )?personal,? (?:and )?non-?commercial use\b"
                         r"|\b(?:contact|call|email|e-mail)\s+our\s+reprints?\b"
                         r"|^[\W_]*(?:looking to|want to|continue to) read the (?:full|whole|rest of the) "
                         r"(?:article|story)\?$"
                         r"|^[\W_]*risk disclosure\s*:", re.IGNORECASE)
PAGE_NOTICE_CUES = ("commercial use", "reprint", "read the ", "risk disclosure")  # see may_hold_any
# "This article was originally published by … and is reprinted with permission": a syndication note.
# "This article has been adapted from its original source", "(The above story is verified and
# authored by ... staff)": how the page came to the outlet, not the story.
SYNDICATION = re.compile(r"\boriginally (?:published|appeared)\b.{0,100}\b(?:reprinted|republished|reproduced)\b"
                         r"|\b(?:reprinted|republished|reproduced) with (?:the )?permission\b"
                         r"|^[\W_]*(?:this|the above) (?:article|story|report|piece|content) (?:has been |was |is )?"
                         r"(?:adapted|republished|reproduced|auto-generated|generated|verified|authored|edited|"
                         r"sourced|first published|originally published|first appeared)\b", re.IGNORECASE)
SYNDICATION_CUES = ("originally ", "permission", "article", "story", "report", "piece", "content")  # see may_hold_any
# A note about the story itself: "This article was amended on 5 March 2025. An earlier version
# said ...", "This story has been updated to add ...", "This story originally appeared in ...". It
# says what was done to the page: "This article was amended in 2019 to allow ..." (a constitution's)
# and "This report was changed after the minister intervened" are news. A news update ("Update,
# 6 p.m.: The operator said ...") says what happened, and is kept.
STORY_NOTE = re.compile(
    r"^[\W_]*(?:this\s+(?:article|story|piece|post)\s+(?:has|had|was)\s+(?:been\s+)?(?:since\s+|later\s+)?"
    r"(?:updated|amended|corrected|changed|revised|edited)(?=\s+(?:to|with|on|at|throughout)\b|\s*[.;]|\s*$)"
    r"|this\s+(?:article|story|piece|post)\s+(?:was\s+|has\s+been\s+)?(?:first|originally)\s+"
    r"(?:published|posted|appeared)\s+(?:on|in|by|at)\b"
    r"|this\s+version\s+of\s+(?:this|the)\s+(?:article|story|piece|post)\b"
    r"|an?\s+(?:earlier|previous|prior)\s+version\s+of\s+this\s+(?:article|story|piece|post)\b)", re.IGNORECASE)
# Under a note's label ("Correction:", "Corrections:", "Editor's note —", "Update, 14 March:") the
# note may name the page more loosely: "An earlier version of the story ...", "This report ...".
NOTE_LABEL = re.compile(r"^[\W_]*(?:corrections?|clarifications?|editor[’']?s\s+notes?|updated?)\b[^:.!?–—]{0,30}"
                        r"(?::|\s[–—])\s*", re.IGNORECASE)
LABELLED_NOTE = re.compile(r"(?:this|the)\s+(?:version\s+of\s+(?:this|the)\s+)?(?:article|story|piece|post|report)\b"
                           r"|an?\s+(?:earlier|previous|prior)\s+version\b|we\s+(?:have\s+)?(?:updated|corrected|amended)\b",
                           re.IGNORECASE)
MAX_STORY_NOTE_WORDS = 60
# An opinion desk's disclaimer: "The views expressed in this analysis are the writer's own and do
# not necessarily reflect ...", "Opinions expressed by contributors are their own." The views are
# this page's or its writer's: "The views expressed by the minister do not reflect government
# policy" and "The views expressed in the novel are not those of the author" are news.
VIEWS_DISCLAIMER = re.compile(
    r"^[\W_]*(?:the\s+)?(?:views?|opinions?)(?:\s+and\s+opinions?)?\s+"
    r"(?:(?:expressed|appearing|stated|contained|presented)\s+)?"
    r"(?:(?:in|on)\s+(?:this|these|the\s+above)\s+(?:article|column|post|piece|analysis|blog|site|website|page|"
    r"commentary|op-ed|content|story|video|podcast)s?|here(?:in)?|above"
    r"|by\s+(?:the\s+|our\s+)?(?:authors?|writers?|contributors?|columnists?|guests?|bloggers?))\b"
    r"[^.]{0,160}?\b(?:do(?:es)?\s+not|don[’']t|(?:are|is)\s+(?:solely\s+)?(?:those|that)\s+of|(?:are|is)\s+"
    r"(?:(?:the|their|his|her)\s+)?(?:(?:author|writer|contributor)[’']?s?\s+)?own)\b", re.IGNORECASE)
MAX_BRACKETED_NOTE_WORDS = 120
# Words looked for before the patterns above (see may_hold_any), which most paragraphs lack: one
# of each pattern's alternatives, and the labels' words ("Correction: We have corrected ...",
# "Update: we have updated ...", "The view expressed here ...").
STORY_NOTE_CUES = ("article", "story", "report", "piece", "post", "view", "opinion", "feed", "edited", "received",
                   "filed", "reworked", "correct", "clarif", "updat", "editor")
# A note in brackets is about the page when it opens with the page ("(This story ...", "(The above
# report ...", "(Only the headline and picture of this report ..."), and says how the copy reached
# it: "... has not been edited by our staff and is auto-generated from a syndicated feed".
BRACKETED_NOTE_START = re.compile(r"^\(\s*(?:this|the\s+above|only\s+the\s+headline)\b[^.()]{0,60}?"
                                  r"\b(?:story|article|report|piece|content|copy|post)\b", re.IGNORECASE)
WIRE_COPY_NOTE = re.compile(r"\b(?:syndicated\s+feed|(?:has|have|had)\s+not\s+been\s+(?:edited|reworked|changed)\s+by|"
                            r"(?:published|carried|reproduced)\s+as\s+(?:received|filed)|may\s+have\s+been\s+reworked)\b",
                            re.IGNORECASE)


def in_one_bracket(line: str) -> bool:
    """Whether the whole line is one pair of brackets: "(AP) — Results are ... (CEC)." is not."""
    text = line.rstrip(". ")
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth = 0
    for i, char in enumerate(text):
        depth += (char == "(") - (char == ")")
        if depth == 0 and i < len(text) - 1:
            return False
    return depth == 0


def is_note_on_story(line: str, words: int) -> bool:
    """A paragraph that is a note about the story (see STORY_NOTE, NOTE_LABEL, VIEWS_DISCLAIMER),
    or a note in brackets that opens with the page (see BRACKETED_NOTE_START): a wire's note may
    run to three sentences about the agency, which say nothing of the story."""
    # The cues are looked for only where a note of its length may stand: most paragraphs are long.
    if words > MAX_BRACKETED_NOTE_WORDS or (words > MAX_STORY_NOTE_WORDS and not line.startswith("(")) \
            or not may_hold_any(line, STORY_NOTE_CUES):
        return False
    if words <= MAX_STORY_NOTE_WORDS:
        label = NOTE_LABEL.match(line)
        if STORY_NOTE.match(line) or VIEWS_DISCLAIMER.match(line) \
                or (label and LABELLED_NOTE.match(line, label.end())):
            return True
    return BRACKETED_NOTE_START.match(line) is not None and in_one_bracket(line) \
        and (SYNDICATION.search(line) is not None or WIRE_COPY_NOTE.search(line) is not None
             or STORY_NOTE.match(line, 1) is not None)


# A link's text alone on its line: "Read Full Article", "Continue reading".
# A link to another story left as "| Its headline", with no cue word: a row of a table has a
# closing pipe, a sentence its stop.
PIPE_TEASER = re.compile(r"^\s*\|\s*[A-Z0-9‘“\"'][^|]{10,200}$")
READ_LINK = re.compile(r"^[\W_]*(?:(?:read|see|view)\s+(?:the\s+)?(?:full|whole|complete|original)\s+"
                       r"(?:article|story|report|text)|continue reading)[\W_]*$", re.IGNORECASE)
# The outlet promoting its own products: an imperative to the reader, after a question or not,
# about something of "our(s)": "Got questions about Asia? Try Harbour Explainers, our new hub".
PROMOTION = re.compile(r"^(?:[^.!?]{0,120}\?\s+)?(?:try|visit|explore|check out|discover|listen to|download|"
                       r"subscribe to|sign up for|follow)\b[^.!?]{0,120}\bours?\b", re.IGNORECASE)
# A paywall's offer, after a question or not: "Looking for the full picture? Get unlimited access to
# ... from $4 a month", "Unlock full digital access with a subscription". An imperative to the
# reader ("Kyiv will gain unrestricted access" has a subject) that names a price by the month or
# week, a subscription or a trial: "Enjoy full access to the castle grounds from May" is news.
PAYWALL_OFFER = re.compile(r"^(?:[^.!?]{0,120}\?\s+)?(?:get|enjoy|unlock|gain|start|try)\b[^.!?]{0,80}"
                           r"\b(?:unlimited|unrestricted|full|premium)(?:\s+digital)?\s+access\b"
                           r"(?=[^.!?]{0,80}(?:\b(?:a|per|each|every)\s+(?:month|week)\b|/\s?(?:month|week|mo)\b"
                           r"|\bsubscri|\bfree trial\b|\bfirst (?:month|week)\b))", re.IGNORECASE)
HANDLE = re.compile(r"(?<![\w.])@\w{2,}")
# "By" alone on its line, the writer's name on another (or only in a picture).
BYLINE_WORD = re.compile(r"^(?:by|written by|posted by|words by)\s*:?$", re.IGNORECASE)
# An image's alternative text left on its line: a logo, a site's icon, a sign-in button's picture.
ALT_TEXT = re.compile(r"^(?:site\s+(?:icon|logo)\b.{0,30}"
                      r"|(?!(?:the|an?)\s)(?:(?-i:[A-Z])[\w.&'’+]*\s){1,2}(?-i:Logo|Icon)"  # "WordPress.com Logo"
                      r"|[\w.]+-(?:logo|icon)|avatar(?:\s+(?:photo|image|picture))?|gravatar"
                      r"|(?:facebook|twitter|x|google\+?|instagram|linkedin|youtube|wordpress(?:\.com)?)\s+"
                      r"(?:photo|picture|image|logo|icon|avatar))$", re.IGNORECASE)
# The page speaking to the reader's browser, not of the story: "Your web browser is no longer supported".
BROWSER_NOTICE = re.compile(r"\b(?:your|this)\s+(?:web\s+)?browser\s+(?:is\s+)?(?:no\s+longer|not)\s+supported"
                            r"|\byour\s+browser\s+does\s+not\s+support\b"
                            r"|\b(?:update|upgrade)\s+your\s+(?:web\s+)?browser\b"
                            r"|\b(?:please\s+)?enable\s+javascript\b"
                            # "Internet Explorer 11 is not supported", "For optimal browsing, we
                            # recommend Chrome, Firefox or Safari browsers." (a line of its own)
                            r"|^[\W_]*internet\s+explorer(?:\s+\d+)?\s+is\s+(?:no\s+longer|not)\s+supported\W*$"
                            r"|^[\W_]*for\s+(?:the\s+best|an?\s+optimal|optimal|a\s+better)\s+(?:browsing|viewing|experience)"
                            r"\b[^.]{0,40}?\b(?:recommend|suggest|use)\b[^.]{0,40}?(?-i:Chrome|Firefox|Safari|Edge)\b"
                            r"[^.]{0,30}?(?-i:Chrome|Firefox|Safari|Edge)\b", re.IGNORECASE)
# The names of a news site's sections: a line made of them is its menu ("News Education Local News
# Nation & World New Mexico").
SECTION_WORDS = frozenset("""
news world local nation national international politics business sports sport opinion opinions entertainment
lifestyle life education health tech technology science video videos home weather travel culture arts economy
markets money obituaries photos podcasts style food autos jobs classifieds region regional crime environment
climate latest features columns editorials
""".split())  # noqa: SIM905 - a word list reads best as prose


def is_byline(line: str) -> bool:
    """Names and roles after "By" are capitalised ("By Jane Doe, Staff Reporter"); prose after
    it is not ("By contrast, Iran said it would wait")."""
    before_fields = SEPARATORS.split(line)[0]
    names = re.findall(r"[^\W\d_][\w.'’-]*", before_fields)[1:]
    if names and names[0].lower() in ("by", "reporting", "words"):  # "Written by", "Reporting by", "Posted by"
        names = names[1:]
    return bool(names) and all(w[0].isupper() or w.lower() in BYLINE_SMALL_WORDS for w in names)


def is_share_line(line: str) -> bool:
    """A line of share buttons and counters ("Share 214 | Tweet | Email", "1,148 Shares"), or of a
    language switcher's items ("English | Español | Français"). After a share label, commas may
    separate the buttons ("Share this article: WhatsApp, Facebook, X")."""
    if len(line) > 160 or BARE_COUNT.match(line):
        return False
    parts = [p for p in SEPARATORS.split(line) if p]
    if not parts:
        return False
    if len(parts) == 1 and (label := SHARE_LABEL.match(line)):
        buttons = [b for b in re.split(r"\s*,\s*|\s+(?:and|or)\s+", line[label.end():].rstrip(" .")) if b]
        if len(buttons) >= 2 and all(SHARE_PART.match(b) and not BARE_COUNT.match(b) for b in buttons):
            return True
    if all(SHARE_PART.match(p) for p in parts) or (len(parts) >= 2 and all(NAVIGATION.match(p) for p in parts)):
        return True
    # A page's tool bar may carry a label or a breadcrumb among its buttons ("Home / News Content
    # Tools: Save | Print | E-mail | Most Read | Comment").
    if len(parts) < 4:
        return False
    controls = sum(1 for p in parts if not BARE_COUNT.match(p)
                   and (SHARE_PART.match(p) or NAVIGATION.match(p) or WIDGET_HEADING.match(p)))
    return controls >= 2 and controls * 4 >= len(parts) * 3  # a table's row is figures


def is_headline_after_label(value: str) -> bool:
    """"Congo : Opposition leader challenges election result" is a headline with its label; a
    profile's field holds a name, an address (digits) or a biography (sentences)."""
    return len(value.split()) >= 5 and not HAS_DIGIT.search(value) and looks_like_heading_line(value)


def is_section_menu(line: str) -> bool:
    """A line of capitalised words, most of them the names of a site's sections."""
    if ends_a_sentence(line) or not line[:1].isupper():  # most lines: prose
        return False
    words = [w for w in re.split(r"[\s|•·/&]+", line) if w]
    if not all(w[0].isupper() for w in words):
        return False
    sections = [w.lower() for w in words if w.lower() in SECTION_WORDS]
    return len(sections) * 10 >= len(words) * 6 and len(set(sections)) >= 3


def is_stamp_line(line: str) -> bool:
    """A line that only says who published it and when ("Politics | 08.04.2025 | 16:47"), or in
    which printed edition ("Mon, Mar 17, 2025 page 6 · Compiled by staff writers")."""
    if len(line) > 160:
        return False
    # Every date and time holds a digit: in a line with none (most lines), none is searched for.
    dated = has_digit(line) and TIME_OR_DATE.search(line) is not None
    rest = TIME_OR_DATE.sub(" ", line) if dated else line
    if SENTENCE_BREAK.search(rest):  # "Oct. 24, 2024" breaks nothing
        return False
    if (dated and STAMP_WORDS.match(line)) or READING_TIME.match(line) or STAMP_WORDS_ALONE.match(line):
        return True
    if not ends_with_a_stop(line) and ((dated and PRINT_LABEL.match(line)) or is_dated_page(line)):
        return True
    if not dated:
        return False
    words = [w for w in re.split(r"[\s|•·,()]+", rest) if w and not re.fullmatch(r"[\d:.]+|am|pm|[A-Z]{2,4}", w)]
    return len(words) <= 5 and not ends_with_a_stop(line)


def is_dated_page(line: str) -> bool:
    """"Thu, Mar 06, 2025 - page 10": a date that opens the line, then the printed page."""
    rest = line[weekday.end():] if (weekday := WEEKDAY_FIRST.match(line)) else line.lstrip()
    date = TIME_OR_DATE.match(rest)
    return date is not None and PAGE_AFTER_DATE.match(rest, date.end()) is not None


# The only characters re's IGNORECASE matches to an ASCII letter that str.lower() does not turn
# into it (İ, ı, ſ, the Kelvin sign).
FOLDS_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")
ASCII_FOLDS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def folded(word: str) -> str:
    """A word as the lowercase ASCII an IGNORECASE pattern matched it as: the key to look it up by.
    "Thurſday" and "dıed" match the patterns for "Thursday" and "died", and `.lower()` leaves
    them as written, so a table keyed by lowercase words did not have them (the article was lost
    to a KeyError)."""
    return word.translate(ASCII_FOLDS).lower()


def may_call_to_action(text: str) -> bool:
    """False only when CALL_TO_ACTION finds nothing in `text`: its cues first, then its words in the
    lowered text, as IGNORECASE matches them (see lowered_for_cues)."""
    if not may_hold_any(text, CALL_TO_ACTION_CUES):
        return False
    lowered = lowered_for_cues(text)
    return lowered is None or CALL_TO_ACTION_LOWERED.search(lowered) is not None


def may_hold_any(text: str, cues: Iterable[str]) -> bool:
    """False only when `text` holds none of `cues` (lowercase ASCII pieces of text) in any case, as
    an IGNORECASE pattern would see them: a test far cheaper than a pattern that needs one of them.
    A text with a character that folds to ASCII is always worth the full search."""
    lowered = lowered_for_cues(text)
    return lowered is None or any(map(lowered.__contains__, cues))  # no generator frame: a third faster


@functools.lru_cache(maxsize=16)
def lowered_for_cues(text: str) -> str | None:
    """`text` in lowercase, or None when it holds a character that folds to ASCII (see may_hold_any).
    Kept for the few texts last asked about: a line is tested for a dozen patterns' cues in a row.
    Four searches for one character each take 0.09 us where a character class took 0.7, and only
    text that is not all ASCII is searched."""
    if not text.isascii():
        for char in FOLDS_TO_ASCII:
            if char in text:
                return None
    return text.lower()


WORD_CHAR = re.compile(r"\w")


def not_after_word(text: str, index: int) -> bool:
    r"""What `(?<!\w)` tests at `index`."""
    return index == 0 or WORD_CHAR.match(text, index - 1) is None


def at_word_boundary(text: str, index: int) -> bool:
    r"""What `\b` tests at `index`."""
    return not_after_word(text, index) == (WORD_CHAR.match(text, index) is not None)


def matches_where(pattern: re.Pattern[str], text: str, holds: Callable[[str, int], bool]) -> Iterator[re.Match[str]]:
    r"""What finditer finds for `pattern` preceded by the zero-width test `holds` (one of the two
    above), found about twice as fast: re cannot skip ahead past a leading look-behind or `\b`,
    so it tries the whole pattern at every position, but before a bare alternation of words it
    skips in C to where one of them can begin. A match whose start fails the test is tried
    again from the next position, as finditer would. `pattern` must not match ""."""
    pos = 0
    while (match := pattern.search(text, pos)) is not None:
        if holds(text, match.start()):
            yield match
            pos = match.end()
        else:
            pos = match.start() + 1

# --- headings ----------------------------------------------------------------------
TERMINAL = re.compile(r"[.!?…][\"”’')\]]*$")
TERMINAL_MARKS = (".", "!", "?", "…")
TERMINAL_CLOSERS = "\"”’')]"


def ends_with_a_stop(text: str) -> bool:
    """Whether TERMINAL finds a match: a sentence's end, then only closing marks, at the end (or
    before a final newline, as `$` reads it). The pattern is tried at every character of a line
    (4 us on a paragraph); this reads only its end."""
    if text.endswith("\n"):
        text = text[:-1]
    return text.rstrip(TERMINAL_CLOSERS).endswith(TERMINAL_MARKS)
GLUED_SENTENCE = re.compile(r"(?<=[a-z0-9\"”’)])([.!?])(?=[A-Z][a-z])")
SENTENCE_BREAK = re.compile(r"[a-z0-9][.!?][\"”’)]*\s+\S")
REPEATED = re.compile(r"^(?P<h>.{8,}?)\s+(?P=h)$")
SMALL_WORDS = {"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of", "on", "or",
               "the", "to", "vs", "with", "via", "its", "is", "be", "not"}
MAX_HEADING_WORDS = 16
# Markdown's heading marks say what a line is, whatever its length ("# CK Hutchison to sell …
# as Washington turns up the heat" is a headline of 17 words), up to this many words.
MARKED_HEADING = re.compile(r"^#{1,6}\s+(?=\S)")
MAX_MARKED_HEADING_WORDS = 40


class _TextExtractor(HTMLParser):
    """Visible text of an HTML page, one line per block element; scripts and styles dropped."""

    BLOCKS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article",
              "header", "footer", "blockquote", "title"})
    SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head", "nav", "footer", "aside", "form"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(text: str) -> str:
    parser = _TextExtractor()
    parser.feed(text)
    parser.close()
    return "".join(parser.parts)


def is_title_like(text: str) -> bool:
    """Headings capitalise most content words; prose does not."""
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", text)
    content = [w for w in words if w.lower() not in SMALL_WORDS]
    if not content:
        return False
    capitalised = sum(1 for w in content if w[0].isupper())
    return capitalised / len(content) >= 0.6


def holds_contact(text: str) -> bool:
    """Whether EMAIL, PHONE or URL is found in `text`, each searched only where it may be: an
    address holds its "@", a phone number its digits, a link its "://" or "www."."""
    return ("@" in text and EMAIL.search(text) is not None) \
        or (has_digit(text) and PHONE.search(text) is not None) \
        or (may_hold_any(text, ("://", "www.")) and URL.search(text) is not None)


def looks_like_heading_line(line: str, max_words: int = MAX_HEADING_WORDS) -> bool:
    if len(line) > 140 * max_words // MAX_HEADING_WORDS:  # most paragraphs: no need to split them
        return False
    words = line.split()
    if not words or len(words) > max_words:
        return False
    if SENTENCE_BREAK.search(line) or holds_contact(line):
        return False
    if line.endswith("?") and len(words) <= 10:
        return True
    return not ends_with_a_stop(line) and not line.endswith((",", ";"))


# Each debris pattern, in the order they run, with pieces of text every match of it holds one
# of: most lines hold none, and testing for them is far cheaper than the search (the same
# removals, counted the same).
DEBRIS = ((HTML_COMMENT, ("<!--",), "markup"), (HTML_TAG, ("<",), "markup"), (JSON_DEBRIS, ("{",), "markup"),
          (MARKDOWN_IMAGE, ("![",), "image"), (ARROW_DEBRIS, ("->", "–>"), "markup"))
DEBRIS_MARKS = "<{[>"  # one of them stands in every piece above: a test for one character is the fastest


def _strip_debris(line: str, removed: Counter) -> str:
    words = line.split()  # split() and \S part text at the same characters
    if not words:  # a blank line: about half of all lines
        return ""
    # No word is 100 characters long: such runs are encoded data or junk, and they make
    # every later regular expression and the sentence splitter slow. The pattern retries at
    # every character of every word, so the words' lengths are looked at first.
    changed = False
    if len(line) >= 100 and max(map(len, words)) >= 100:
        line, n = JUNK_TOKEN.subn(" ", line)
        removed["junk"] += n
        changed = True
    if any(map(line.__contains__, DEBRIS_MARKS)):  # most lines hold no debris
        for pattern, needed, kind in DEBRIS:
            if any(map(line.__contains__, needed)):
                line, n = pattern.subn(" ", line)
                removed[kind] += n
                changed = True
    return " ".join(line.split() if changed else words)


# Lines that stop on an ellipsis, two or more in a row ("… has resumed flights as of May 1,…"):
# teasers for other stories, cut off by the page. One such line alone may be the story's own.
CUT_OFF = re.compile(r"[^.!?\"”’)\]\s]\s*(?:…|\.\.\.)$")


def is_cut_off(line: str) -> bool:
    """A line that stops short with an ellipsis; the ending is tested first, as a search from the
    start of every line cost a second per 2,000 articles."""
    return line.endswith(("…", "...")) and CUT_OFF.search(line) is not None


def teaser_runs(lines: list[str]) -> list[bool]:
    """For each line, whether it is one of two or more cut-off single sentences in a row."""
    cut = [is_cut_off(line) and not SENTENCE_BREAK.search(line) for line in lines]
    return [c and ((i > 0 and cut[i - 1]) or (i + 1 < len(cut) and cut[i + 1])) for i, c in enumerate(cut)]


MIN_TEASER_WORDS = 6  # a headline's length; a list's items ("Energy cooperation") are shorter
TEASER_RUN = 3


def headline_runs(lines: list[str]) -> set[int]:
    """Lines in runs of three or more headlines with no prose between, none marked as a list's
    item: after the story's first paragraph (the caller checks), links to other stories."""
    found: set[int] = set()
    run: list[int] = []
    for number, line in enumerate([*lines, ""]):
        if (not ends_a_sentence(line) and len(line.split()) >= MIN_TEASER_WORDS
                and looks_like_heading_line(line, MAX_HEADLINE_WORDS)
                and (line[:1].isalnum() or line[:1] in "\"“‘'") and not NUMBERED.match(line)):
            run.append(number)
            continue
        if len(run) >= TEASER_RUN:
            found.update(run)
        run = []
    return found


MAX_GALLERY_CAPTION_WORDS = 80  # a wire photo's caption may add a paragraph of context
# An accessibility link at the top of a page: "Skip to content", "Skip to main content".
# A page's controls: "Loading ...", and a language switcher's items ("• English", "• Arabic").
NAVIGATION = re.compile(r"^[\W_]*(?:skip\s+to\s+(?:the\s+)?(?:main\s+)?(?:content|navigation|search)|"
                        r"skip\s+navigation|back\s+to\s+top|loading|"
                        r"english|arabic|french|fran[çc]ais|spanish|espa[ñn]ol|german|deutsch|russian|chinese|urdu|"
                        r"hindi|persian|farsi|turkish|t[üu]rk[çc]e|portuguese|portugu[êe]s|italiano|"
                        r"العربية|русский|中文|فارسی|اردو)[\W_]*$", re.IGNORECASE)


def caption_pairs(lines: list[str]) -> set[int]:
    """Lines of a gallery, by the way one line repeats the start of the next (a photo's credit may
    stand between them): a cut-off teaser over the caption it shortens ("• Men search for people
    among the debris in a destroyed..." over "Men search for people among the debris in a
    destroyed building in Adana, Turkey, Feb. 6, 2023."), or a name over its caption with no full
    stop ("Dr Ana Ruiz" over "Dr Ana Ruiz, a surgeon, flew in from the capital"). Prose never
    repeats the line before it."""
    found: set[int] = set()
    for number, line in enumerate(lines[:-1]):
        cut_off = is_cut_off(line)
        if not cut_off and (len(line) > 80 or ends_with_a_stop(line)):  # most lines: neither shape
            continue
        later = number + 2 if is_credit_line(lines[number + 1]) and number + 2 < len(lines) else number + 1
        following = lines[later]
        if cut_off and (later > number + 1 or line.startswith("•")):
            # A gallery's teaser is marked as an item or has its photo's credit under it; a
            # cut-off summary over the paragraph it opens (an aggregator's) is neither.
            start = " ".join(re.findall(r"\w+", line)[:-1])  # its last word may be cut
            if (len(start) >= 20 and len(following.split()) <= MAX_GALLERY_CAPTION_WORDS
                    and " ".join(re.findall(r"\w+", following)).startswith(start)):
                found.update((number, later))
        elif (len(line.split()) <= 6 and not ends_with_a_stop(line) and not ends_with_a_stop(following)
              and following.startswith(line + ",")):
            found.update((number, later))
    return found


# "Author: Smart News  Source: Travel  2025-01-14": labelled fields of a page's header.
META_LABEL = re.compile(r"\b(?:author|source|posted|updated|published|editor|category)\s*:\s*\S", re.IGNORECASE)


def may_be_photo_credit(line: str) -> bool:
    """False only when PHOTO_CREDIT finds nothing in `line`: a credit in brackets has both, any
    other a slash or one of the words its cues name."""
    return ("(" in line and ")" in line) or may_hold_any(line, PHOTO_CREDIT_CUES)


def _furniture_kind(line: str) -> str | None:
    all_words = len(line.split())
    words = all_words - (line.startswith("#") and bool(MARKED_HEADING.match(line)))  # "###" is no word
    if JSON_PREFIX.match(line) and line.count('":') >= 3:
        return "markup"
    if words <= 14 and BYLINE.match(line) and (not ends_with_a_stop(line) or "|" in line) and is_byline(line):
        return "byline"
    if dateline_end(line) == len(line):
        return "dateline"
    if words <= 25 and line.count(":") >= 2 and len(META_LABEL.findall(line)) >= 2 and not ends_with_a_stop(line):
        return "byline"
    if words <= 10 and FROM_WRITER.match(line):
        return "byline"
    if words <= 14 and not ends_with_a_stop(line) and NAME_DASH_ROLE.match(line):
        return "byline"
    if words <= 8 and (NAME_AND_ROLE.match(line) or DESK.match(line)
                       or (HANDLE.search(line) and not ends_with_a_stop(line))):
        return "byline"
    if words <= 60 and CREDITS.match(line):
        return "credits"
    if words <= 3 and BYLINE_WORD.match(line):
        return "byline"
    if words <= 5 and ALT_TEXT.match(line):
        return "image caption"
    if words <= 25 and not ends_with_a_stop(line) and may_hold_any(line, CALL_TO_ACTION_CUES) and starts_a_call(line):
        return "call to comment or subscribe"  # "Get the latest updates as we post them — right on your browser"
    if words <= 40 and may_hold_any(line, ("browser", "javascript", "explorer", "chrome", "firefox", "safari")) \
            and BROWSER_NOTICE.search(line):
        return "notice to readers"
    if words >= 4 and is_section_menu(line):
        return "navigation"
    if words <= 12 and not ends_with_a_stop(line) and may_hold_any(line, OUTLET_NOTICE_CUES) \
            and OUTLET_NOTICE.search(line):
        return "notice to readers"
    if (words <= 25 and TEASER.match(line)) or READ_LINK.match(line) \
            or (words <= 25 and PIPE_TEASER.match(line) and not ends_with_a_stop(line)) \
            or (words <= 30 and (OWN_COVERAGE.match(line) or OWN_COVERAGE_BEFORE.match(line))
                and not SENTENCE_BREAK.search(line) and not OWN_COVERAGE_GOES_ON.search(line)):
        return "teaser"
    if words <= 40 and ((may_hold_any(line, SYNDICATION_CUES) and SYNDICATION.search(line))
                        or (may_hold_any(line, ("our",)) and PROMOTION.search(line))
                        or (may_hold_any(line, PAGE_NOTICE_CUES) and PAGE_NOTICE.search(line))
                        or (may_hold_any(line, ("access",)) and PAYWALL_OFFER.search(line)
                            and not REPORTED.search(line))):
        return "notice to readers"
    if is_note_on_story(line, words):
        return "notice to readers"
    if words <= 30 and may_hold_any(line, COMMENT_FORM_CUES) and COMMENT_FORM.search(line):
        return "comment form"
    if words <= 6 and (FORM_FIELD.match(line) or COMMENTS_COUNTED.match(line)):
        return "comment form"
    if words <= 40 and may_hold_any(line, COPYRIGHT_CUES) and COPYRIGHT.search(line):
        return "copyright notice"
    if words <= 30 and TAGS.match(line):
        return "tags"
    if is_share_line(line):
        return "social links"
    if is_stamp_line(line):
        return "date line"
    if words <= 45 and ((may_be_photo_credit(line) and PHOTO_CREDIT.search(line))
                        or (words >= 8 and CREDITED_CAPTION.search(line))):
        return "image caption"
    if words <= MAX_GALLERY_CAPTION_WORDS and line.endswith((")", ").")) and PHOTO_MARKED.search(line):
        return "image caption"
    if (words <= 60 and (CAPTION_OPENER.match(line)
                         or (may_hold_any(line, CREDIT_ONLY_CUES) and CREDIT_ONLY.search(line))
                         or (may_hold_any(line, STOCK_PHOTO_CUES) and STOCK_PHOTO.search(line))
                         or (may_hold_any(line, CREDIT_AT_END_CUES) and CREDIT_AT_END.search(line))
                         or ("/" in line and CREDIT_CHAIN_AT_END.search(line)))) \
            or (words <= 8 and CREDIT_SLASH.match(line)):
        return "image caption"
    if words <= 12 and not ends_with_a_stop(line) and BRACKET_CREDITED.search(line):
        return "image caption"
    if words <= 12 and (CREDIT_CAPITALS.match(line) or CREDIT_LABEL.match(line)):
        return "image caption"
    if words <= 4 and (AGENCY_ALONE.match(line) or AGENCY_SLASHES.match(line)):  # the story's source, not a
        return "byline"  # photo's: the line above is no caption
    if words <= 12 and LIVE_STATE.match(line):
        return "widget"
    if (words <= 45 and may_hold_any(line, ("consent", "agree", "accept", "permission", "cookie"))
            and CONSENT_NOTICE.search(line) and EMBEDDED.search(line) and not REPORTED.search(line)) \
            or (words <= 7 and CONSENT_BUTTON.match(line)):
        return "consent notice"
    if HASHTAGS.match(line):
        return "tags"
    if words >= 5 and line.endswith(("says", "said")) and ("“" in line or '"' in line) and QUOTE_CAPTION.search(line):
        return "image caption"
    if words <= MAX_CAPTION_WORDS and not ends_with_a_stop(line) and PHOTO_POSITION.search(line):
        return "image caption"
    if words <= 5 and ADVERTISEMENT.match(line):
        return "advertisement"
    if words <= 40 and FOLLOW_PROMPT_AT_END.search(line):
        return "author box"  # "Jane Doe is a correspondent for the Courier. Follow her on X @janedoe."
    if words <= 25 and ICON_ALT_TEXT.match(line):
        return "markup"
    if words <= 6 and POWERED_BY.match(line):
        return "widget"
    if words <= 15 and UPDATE_NOTE.match(line):
        return "update note"
    if words <= 20 and CONTRIBUTORS.match(line):
        return "byline"
    if words <= 15 and MEDIA_FILE.search(line):
        return "image caption"
    if words <= 20 and is_market_row(line):
        return "widget"
    if words <= 5 and NAVIGATION.match(line):
        return "navigation"
    if words <= 15 and (SOCIAL_CALL.match(line) or VIEW_COUNTER.match(line)):
        return "social links"
    if AUTHOR_BOX.match(line) or (words <= MAX_BIO_WORDS and AUTHOR_BOX_INLINE.match(line)):
        return "author box"
    if TOC.match(line):
        return "table of contents"
    if SOCIAL.match(line):
        return "social links"
    if DISCLAIMER.match(line):
        return "disclaimer"
    if CAPTION_PREFIX.match(line):
        return "image caption"
    if (field := PROFILE_FIELD.match(line)) and (PROFILE_LABEL.match(line)
                                                  or not is_headline_after_label(line[field.end():])):
        return "author box"
    if all_words <= 12 and holds_contact(line):
        return "contact details"
    return None


# What every GLUED_SENTENCE match holds; searched far faster than the pattern's look-behind.
GLUED_CUE = re.compile(r"[.!?][A-Z][a-z]")
# Its full stop's part: a pattern that opens on one character is scanned for it five times as fast
# as for a class, and lines without "!" or "?" (most) need no more.
GLUED_AFTER_FULL_STOP = re.compile(r"\.[A-Z][a-z]")


def _split_glued(line: str) -> str:
    glued = GLUED_AFTER_FULL_STOP.search(line) is not None \
        or (("!" in line or "?" in line) and GLUED_CUE.search(line) is not None)
    return GLUED_SENTENCE.sub(r"\1 ", line) if glued else line


READER = re.compile(r"\b(?:you|your|our|we)\b", re.IGNORECASE)


def is_notice(sentence: str) -> bool:
    """A sentence naming an outlet's account, paywall or print edition is a notice when it
    speaks to the reader or is short; a news sentence about a privacy policy is neither."""
    return (READER.search(sentence) is not None or len(sentence.split()) <= 12
            or "print edition" in sentence.lower())


# What may stand before a call's verb: "Please subscribe", "Don't forget to follow us", "To get the
# latest news each morning, subscribe ...".
POLITE = re.compile(r"^(?:please|kindly|(?:don'?t|do not) forget to|be sure to|make sure to|remember to|to)\s+",
                    re.IGNORECASE)


def starts_a_call(text: str) -> bool:
    """Whether the text opens with a call to the reader ("Subscribe to Ledger PRO for ...", "Get the
    latest updates as we post them"); a newsletter named first is a subject ("Newsletters we love")."""
    call = CALL_TO_ACTION.match(POLITE.sub("", text.lstrip("\"“‘'([ "), count=1))
    return call is not None and not call.group(0).lower().startswith("newsletter")


def is_call(sentence: str) -> bool:
    """A sentence holding a call to subscribe or comment is one when it speaks to the reader, is short
    or opens with the call; "Readers of paid newsletters fell by a fifth last year" is news."""
    return is_notice(sentence) or starts_a_call(sentence)


def _paragraph_blocks(line: str, removed: Counter) -> list[Block]:
    """One line of prose: drop furniture sentences, split off a heading glued to its end."""
    kept: list[str] = []
    # Cheap guards first, on the whole line and then on each sentence: a sentence holds no "@",
    # digit, cue or link its line does not hold (lower() maps each character alone, but for the
    # Greek sigma, which is in no cue), and most lines hold none.
    line_at = "@" in line
    line_digit = has_digit(line)
    line_call = may_call_to_action(line)
    line_notice = may_hold_any(line, OUTLET_NOTICE_CUES)
    lowered_line = lowered_for_cues(line)
    lowered_line = line.lower() if lowered_line is None else lowered_line
    line_link = "http" in lowered_line or "www" in lowered_line
    for start, end in sentence_spans(line):
        sentence = line[start:end]
        if (line_at and "@" in sentence and EMAIL.search(sentence)) or (
                line_digit and has_digit(sentence) and (PHONE.search(sentence) or STREET.search(sentence))):
            removed["contact details"] += 1
        elif (line_call and may_call_to_action(sentence) and CALL_TO_ACTION.search(sentence) and is_call(sentence)) \
                or (sentence[:1] in PROMO_FIRST_LETTERS and APP_OR_BRIEF_PROMO.match(sentence)
                    and not REPORTED.search(sentence)):
            removed["call to comment or subscribe"] += 1
        elif line_notice and may_hold_any(sentence, OUTLET_NOTICE_CUES) and OUTLET_NOTICE.search(sentence) \
                and is_notice(sentence):
            removed["notice to readers"] += 1
        elif line_link and ("http" in (lowered := sentence.lower()) or "www" in lowered) and URL.search(sentence):
            removed["link"] += 1
        else:
            kept.append(sentence)
    if not kept:
        return []
    trailing: str | None = None
    last = kept[-1]
    if len(kept) > 1 and looks_like_heading_line(last) and is_title_like(last):
        trailing = kept.pop()
        if AGENCY_ALONE.match(trailing):  # "... at the Madrid Open. — Reuters": a caption's credit
            removed["image caption"] += 1
            trailing = None
    spans, cursor = [], 0
    for sentence in kept:
        spans.append((cursor, cursor + len(sentence)))
        cursor += len(sentence) + 1
    blocks = [Block(" ".join(kept), spans=tuple(spans))]
    if trailing:
        blocks.append(_heading(trailing))
    return blocks


def _heading(text: str) -> Block:
    """A heading's words, without Markdown's marks (markup, not the outlet's words) and said once."""
    text = MARKED_HEADING.sub("", text)
    match = REPEATED.match(text)
    return Block(match.group("h") if match else text, is_heading=True)


def disclaimer_outlet(line: str) -> str | None:
    match = DISCLAIMER_OUTLET.search(line)
    return match.group(1).rstrip(".") if match else None


# "© 2025 Harbourline Post. All rights reserved.", "Copyright 2025 Continental Press Service.",
# "© ITAR-WIRE 2025.": the name the page's copyright is held in, without a company's legal form.
COPYRIGHT_HOLDER = re.compile(
    r"^[\W_]*(?:copyright\s*)?(?:©|\(c\)|copyright\b)\s*(?:copyright\s*)?"
    r"(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?\s*,?\s*)?"
    r"(?P<name>(?:(?-i:The)\s+)?(?-i:[A-Z])[\w&'’-]*(?:\s+(?:of\s+|and\s+|&\s+)?(?-i:[A-Z])[\w&'’-]*){0,5})"
    r"\s*(?:,?\s*(?:19|20)\d\d)?\s*(?:[.,;|]|$)", re.IGNORECASE)
NO_HOLDER = re.compile(r"\b(?:all|rights|reserved|reproduction|use|material)\b", re.IGNORECASE)
# The page's rights, not a photo's credit ("© 2025 Getty Images") or a link ("Copyright Policy").
RIGHTS_STATEMENT = re.compile(r"all rights reserved|\breproduction\b|may not be (?:published|reproduced|copied)",
                              re.IGNORECASE)
LEGAL_FORM = re.compile(r",?\s+(?:LLC|Ltd|Limited|Inc|plc|PLC|GmbH|AG|S\.?A|Corp|Corporation|Co)\.?$")


def copyright_holder(line: str) -> str | None:
    match = COPYRIGHT_HOLDER.match(line) if RIGHTS_STATEMENT.search(line) else None
    if match is None or NO_HOLDER.search(match.group("name")):
        return None
    return LEGAL_FORM.sub("", match.group("name")) or None


# Words no sentence ends on: a line of prose that ends on one runs on into the next line.
RUNS_ON = re.compile(r"(?:^|\s)(?:a|an|the|of|and|or|but|nor|its|their|his|our|your|these|those|than|whose)$",
                     re.IGNORECASE)
# Words a sentence seldom ends on, though a headline may ("as cold snap sets in"): a line ending on
# one runs on only in a text that is hard-wrapped (see `unwrap`).
MAY_RUN_ON = re.compile(r"(?:^|\s)(?:in|on|at|to|by|for|from|with|into|onto|as|that|this|her|is|are|was|were|be|"
                        r"been|has|have|had|will|would|could|should|may|might|can|about|after|before|under|over|"
                        r"between|during|amid|against|who|which|where|when|while|if|because|although|some|most|"
                        r"more|such)$", re.IGNORECASE)
MIN_WRAPPED_WORDS = 5  # a wrapped line of prose is most of a sentence; a menu's or a caption's is not
MIN_WRAPPED_LINES = 3  # lines that surely run on, for a text to count as hard-wrapped
LIST_ITEM = re.compile(r"^\s*(?:[-*•·]\s|\d{1,2}[.)]\s)")  # a list's item starts a line of its own


CLOSING_MARKS = "\"”’')] "  # what may stand after a sentence's end: quotes, brackets, spaces


def ends_a_sentence(line: str) -> bool:
    """Whether a line ends as most lines of prose do: a test of its last characters, made before
    any pattern is searched."""
    return line.rstrip(CLOSING_MARKS).endswith((".", "!", "?", "…"))


def runs_on(line: str, following: str, wrapped: bool = False, width: int = 0, continuing: bool = False) -> bool:
    """Whether `following` continues the sentence `line` leaves unfinished, in text hard-wrapped
    at a fixed width (a .txt saved from an e-mail or a wire): a line of prose that ends with no
    sentence end, on a comma or a word no sentence ends on ("the" / "Beijing"), or before a line
    that starts in lowercase or with a bracket; in a text known to be wrapped, also on a word few
    sentences end on ("in place in" / "Beijing on Tuesday"), and wherever the line was broken
    only because the next word would not fit in `width` ("Prime Minister Petteri" / "Orpo said"),
    which is how a wrapping program breaks every line it breaks. A line `continuing` a paragraph
    of prose is prose, however many names it holds."""
    if not following or line.lstrip().startswith("#") or NUMBERED.match(line) or LIST_ITEM.match(following) \
            or dateline_end(following):
        return False
    opening = following.lstrip()[:2]
    # A sentence's end, a colon or a semicolon ends the line's clause too; in a full line, an
    # abbreviation's point ("U.S." / "President", "Ltd." / "on Monday") need not: the sentence
    # splitter, which knows abbreviations, decides once the lines are one.
    if line.rstrip(CLOSING_MARKS).endswith((".", "!", "?", "…", ":", ";")) \
            and not (fills(line, following, width) and (opening[:1].islower() or ABBREVIATION_END.search(line))):
        return False
    if len(line.split()) < MIN_WRAPPED_WORDS or any(c in line for c in "|•·"):
        return False
    words = line[dateline_end(line):].split()  # a dateline's capitals say nothing of the line
    if not continuing and not mostly_lowercase(words):  # a menu's or a share bar's words, or prose full of names
        # A line the wrapping filled was one line with the next ("... Prime Minister Petteri" /
        # "Orpo said, ..."), unless neither has a word in lowercase (a menu's, a byline's names).
        return fills(line, following, width) and any(w.islower() for w in (*words, *following.split()))
    return (opening[:1].islower() or (opening[:1] == "(" and not opening[1:].isupper())  # not "(Reuters) -"
            or strict_run_on(line)
            or (wrapped and MAY_RUN_ON.search(line) is not None)
            or fills(line, following, width))


# An initialism or an abbreviation that ends a line: "the U.S.", "Holdings Ltd.", "Gov.".
ABBREVIATION_END = re.compile(r"(?:(?<!\S)(?:[A-Z]\.){2,}|\b(?:Inc|Co|Corp|Ltd|Bros|Mr|Mrs|Ms|Dr|St|Gen|Gov|Sen|Rep|"
                              r"Lt|Col|Sgt|Capt|Prof|No|Jr|Sr|Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec)\.)$")


def mostly_lowercase(words: list[str]) -> bool:
    """Whether half the words or more are in lowercase; a dash or a figure is no word."""
    words = [w for w in words if any(c.isalpha() for c in w)]
    return sum(w.islower() for w in words) * 2 >= len(words)


def fills(line: str, following: str, width: int) -> bool:
    """Whether a wrapping program at `width` (0: not known) would have had to break the line
    here: the next line's first word does not fit after it."""
    first = following.split(maxsplit=1)[0] if following.strip() else ""
    return width > 0 and len(line.rstrip()) + 1 + len(first) > width


WRAP_WIDTHS = range(40, 101)  # the widths mail programs and wires wrap at
WRAP_SLACK = 12  # a wrapped line falls short of the width by less than a long word


def looks_wrapped(lines: list[str]) -> bool:
    """A text too short for MIN_WRAPPED_LINES sure run-ons is wrapped all the same when its longest
    line is a wrapping width and several lines that end no sentence come near it: an unwrapped
    text's longest line is a paragraph, hundreds of characters long."""
    longest = max(map(len, lines), default=0)
    if longest not in WRAP_WIDTHS:
        return False
    near = sum(1 for line, following in itertools.pairwise(lines)
               if following and len(line) >= longest - WRAP_SLACK and not ends_a_sentence(line))
    return near >= MIN_WRAPPED_LINES


def wrap_width(lines: list[str], sure: list[bool]) -> int:
    """The width a hard-wrapped text was wrapped at: the longest of its lines that surely run on
    (a long line of the text that is not wrapped prose, a link or a table, does not count)."""
    return max((len(line.rstrip()) for line in itertools.compress(lines, sure)), default=0)


def strict_run_on(line: str) -> bool:
    """A first line that runs on whatever follows it: a headline never ends on a comma or "the"."""
    return line.rstrip().endswith(",") or RUNS_ON.search(line) is not None


def unwrap(lines: list[str]) -> list[str]:
    """Lines of a paragraph hard-wrapped at a fixed width, joined back into one line (blank lines,
    headings and sentences that end at a line's end stay where they are). The text's first line,
    where the headline stands, runs on only on a comma or a word no sentence ends on, unless it
    opens with a dateline."""
    # Whether each line surely runs on into the next, found once: it decides whether the text is
    # wrapped, then whether the lines join (a wrapped text's looser test only where this says no).
    sure = [bool(line) and runs_on(line, following) for line, following in itertools.pairwise(lines)]
    wrapped = sum(sure) >= MIN_WRAPPED_LINES or looks_wrapped(lines)
    width = (wrap_width(lines, sure) or max(map(len, lines), default=0)) if wrapped else 0
    result: list[str] = []
    parts: list[str] = []
    first_line = True
    for number, line in enumerate(lines):
        if parts and line \
                and (sure[number - 1] or ((wrapped or len(parts) > 1)  # else `sure` said all there is
                                          and runs_on(lines[number - 1], line, wrapped, width, len(parts) > 1))) \
                and not (first_line and len(parts) == 1 and not strict_run_on(parts[0])
                         and not dateline_end(parts[0])):  # a dateline opens a story, not a headline
            parts.append(line.strip())
            continue
        if parts:
            result.append(rejoined(parts))
            first_line = False
        parts = [line] if line else []
        if not line:
            result.append(line)
    if parts:
        result.append(rejoined(parts))
    return result


BROKEN_AT_HYPHEN = re.compile(r"(?<=[^\W\d_]-) (?=[^\W\d_])")


def rejoined(parts: list[str]) -> str:
    """The lines of one paragraph as one line; a compound broken after its hyphen
    ("Singapore-" / "listed") is one word again."""
    text = " ".join(parts)
    if len(parts) == 1 or "- " not in text:
        return text
    ends = set(itertools.accumulate(len(part) + 1 for part in parts[:-1]))  # where a line's break was
    return BROKEN_AT_HYPHEN.sub(lambda m: "" if m.end() in ends else " ", text)


@dataclasses.dataclass(frozen=True)
class PageOwnWords:
    """What a page says of itself in its furniture: the outlet its disclaimer or copyright line
    names, and the date its time stamp gives (YYYY-MM-DD). Used only where metadata says nothing."""

    outlet: str | None = None
    published: str | None = None
    # The date an "Updated" stamp gives, for a page whose stamps give no other: the story is of
    # that day or earlier, and "on Thursday" in it is still read against a date of the right week.
    updated: str | None = None


# A time stamp's full date: "5 Mar 2025", "Jan 17, 2025", "2025-03-31" (a date of figures alone,
# "07/01/2025", may be day or month first, and is not read).
STAMPED_DATE = re.compile(
    rf"\b(?:(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?P<month>{_MONTH})\.?,?\s+(?P<year>(?:19|20)\d\d)"
    rf"|(?P<month2>{_MONTH})\.?\s+(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<year2>(?:19|20)\d\d)"
    r"|(?P<year3>(?:19|20)\d\d)-(?P<month3>[01]\d)-(?P<day3>[0-3]\d))\b", re.IGNORECASE)
# Before a date, words that make it another day than the page's publication: "Updated 15 Mar",
# "born 4 May 1961"; after it, "(updated)".
NOT_PUBLISHED = re.compile(r"\b(?:updated|modified|revised|corrected|edited|born)\b", re.IGNORECASE)
UPDATED_AFTER = re.compile(r"^\W{0,3}(?:updated|modified|revised)\b", re.IGNORECASE)
# What a stamp holds beside its date, between separators: a time, a zone, a weekday, the printed
# page ("Mon 5 Mar 2025, 09:40:11 GMT+1", "Mon, Mar 17, 2025 page 6").
DATE_ONLY_WORDS = re.compile(r"(?:\d{1,2}[:.]\d{2}(?:[:.]\d{2})?(?:\s*[ap]\.?m\.?)?|[ap]m|at|on|"
                             r"(?-i:[A-Z]{2,5})(?:[+-]\d{1,2}(?::?\d{2})?)?|page\s+[A-Z]?\d{1,3}|"
                             r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?|[|•·,()\s/–—-])*", re.IGNORECASE)
MAX_PARAGRAPHS_OVER_STAMP = 1
# The outlet's address before a dash opens the story, after at most a standfirst or a few key points.
MAX_PARAGRAPHS_BEFORE_DOMAIN = 5
MONTH_PREFIXES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def publication_date(line: str, kind: str, updated: bool = False) -> str | None:
    """The publication date (YYYY-MM-DD) a header's time stamp or byline gives in full, or None:
    the first date on the line that no "Updated" or "born" stands before ("Jane Doe · Updated 15 Mar
    2025 · Published 14 Mar 2025" gives the 14th). A date line counts only where it is a stamp's
    shape (a stamp word first, only the date and its time, or a separator before the date):
    "Applications close 31 March 2025" and a headline's "On 7 January 2025, the fires began" do not.
    With `updated`, the first date an "Updated" (not a "born") stands before or after instead."""
    previous = 0
    for found in STAMPED_DATE.finditer(line):
        before, after = line[previous:found.start()], line[found.end():]
        previous = found.end()
        other_day = NOT_PUBLISHED.findall(before)
        if not updated and (other_day or UPDATED_AFTER.match(after)):
            continue
        if updated and not (UPDATED_AFTER.match(after) or any(w.lower() != "born" for w in other_day)):
            continue
        # Its own part of the line: from the separator before it to the one after ("Europe desk | 29
        # April 2025", "Jane Doe · Updated 15 Mar 2025 · Published 14 Mar 2025").
        lead_in, follow = SEPARATORS.split(line[:found.start()])[-1].strip(), SEPARATORS.split(after)[0]
        if kind == "date line" and not (STAMP_WORDS.match(line) or STAMP_WORDS.match(lead_in) or (
                DATE_ONLY_WORDS.fullmatch(lead_in) and DATE_ONLY_WORDS.fullmatch(follow))):
            continue
        parts = found.groupdict()
        year = int(parts["year"] or parts["year2"] or parts["year3"])
        day = int(parts["day"] or parts["day2"] or parts["day3"])
        month_name = parts["month"] or parts["month2"]
        month = MONTH_PREFIXES.index(folded(month_name[:3])) + 1 if month_name else int(parts["month3"])
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            continue
    return None


def clean_text(text: str, title: str | None = None) -> tuple[list[Block], Counter, PageOwnWords]:
    """Blocks of a text, counts of what was removed, and what the page says of itself."""
    removed: Counter = Counter()
    outlet: str | None = None  # its disclaimer's
    holder: str | None = None  # its last copyright line's: a page's own is in its footer
    published: str | None = None
    updated: str | None = None
    if HTML_PAGE.search(text[:5000]) or len(HTML_TAG.findall(text[:20000])) >= 10:
        text = html_to_text(text)
        removed["html page converted to text"] += 1
    text = html.unescape(text)
    lines = unwrap([_strip_debris(line, removed) for line in text.split("\n")])
    counts = Counter(line for line in lines if line and looks_like_heading_line(line))
    lines, labelled_captions = labels_joined_to_credits([line for line in lines if line])
    # Above the headline its metadata names, a page's head: none of it is the story's.
    head = lines_above_the_headline(lines, title)
    blocks: list[Block] = []
    in_author_box = False
    writers: set[str] = set()  # names the bylines give: a bio after the story starts with one
    widget_left = 0  # lines of a widget's teasers still to drop
    ranks_stories = False  # the widget ranks other stories ("Most read"): its teasers may be numbered
    seen: set[str] = set()  # paragraphs so far: a block scraped twice is kept once
    openings = paragraph_openings(lines)  # a paragraph that only repeats another's start is a copy
    last_line_blocks = 0  # blocks the previous line made (a caption is one, before its credit)
    teasers = teaser_runs(lines)
    headline_list = headline_runs(lines)
    gallery = caption_pairs(lines)
    headlines: set[str] = set()
    in_comments = False
    prose_seen = False  # a flag, not a scan of the blocks for each line: a page of repeated lines was quadratic
    paragraphs = 0  # of prose so far: a time stamp may stand under the first (a standfirst), not further down
    for number, line in enumerate(lines):
        made = len(blocks)
        if number < head:
            removed["page head above the headline"] += 1
            continue
        if in_comments or (prose_seen and opens_comments(lines, number)):
            in_comments = True  # the readers' comments and their form run to the page's end
            kind = _furniture_kind(line)
            holder = copyright_holder(line) if kind == "copyright notice" else None
            removed[kind or "comment form"] += 1
            continue
        if teasers[number] or (prose_seen and number in headline_list and counts[line] <= 1):
            removed["teaser"] += 1
            continue
        if not prose_seen and blocks and LONE_PLACE.fullmatch(line) and number + 1 < len(lines) \
                and not looks_like_heading_line(lines[number + 1]):  # after the headline: not one in capitals
            removed["dateline"] += 1
            continue
        if number in gallery or number in labelled_captions:
            removed["image caption"] += 1
            continue
        if is_widget_heading(lines, number, prose_seen):  # also one widget's heading after another's teasers
            widget_left = MAX_WIDGET_LINES
            ranks_stories = RANKING_WIDGET.match(MARKED_HEADING.sub("", line)) is not None
            removed["widget"] += 1
            continue
        if widget_left and (BARE_COUNT.match(line) or is_teaser_item(lines, number, ranks_stories)
                            or TEASER.match(line) or is_cut_off(line)) and not heads_the_story(lines, number):
            widget_left -= 1
            removed["widget"] += 1
            continue
        widget_left = 0
        if line.endswith(")") and (tag := AGENCY_TAG.search(line)) and SENTENCE_BREAK.search(line):
            # "... were fished out. Rescue work is still underway. (ANI)": prose, then the wire's
            # tag (one sentence before a name in brackets is a caption and its credit).
            removed["agency tag"] += 1
            line = line[:tag.start()]
        if glued := glued_teaser_end(line):
            removed["teaser"] += 1
            line = line[glued:]
        kind = _furniture_kind(line)
        if not kind and number + 1 < len(lines) and is_column_heads(line) and is_market_row(lines[number + 1]):
            kind = "widget"  # "Ticker Security Last Change Change %" over the rows
        if kind == "author box" and AUTHOR_BOX.match(line):
            in_author_box = True
        if in_author_box and (kind or len(line.split()) <= 3):
            removed[kind or "author box"] += 1
            continue
        if prose_seen and not kind and is_writer_bio(line, writers, in_author_box):
            removed["author box"] += 1
            in_author_box = False  # one bio under its heading; what follows is the page's again
            continue
        in_author_box = False
        if kind == "byline":
            writers.update(writer_names(line))
        if kind:
            if kind == "disclaimer":
                outlet = outlet or disclaimer_outlet(line)
            elif kind == "copyright notice":
                holder = copyright_holder(line) or holder
            elif kind in ("date line", "byline") and paragraphs <= MAX_PARAGRAPHS_OVER_STAMP:
                published = published or publication_date(line, kind)
                updated = updated or publication_date(line, kind, updated=True)
            removed[kind] += 1
            if last_line_blocks == 1 and belongs_to_furniture(blocks[-1], line, kind):
                blocks.pop()
                removed["byline" if kind != "image caption" else kind] += 1
            last_line_blocks = 0
            continue
        if not HAS_WORD.search(line):  # "×", "▼": a control's symbol, no words
            removed["markup"] += 1
            continue
        if counts[line] > 1 and looks_like_heading_line(line):
            # Before any prose, a heading printed twice is the headline (the page's title and its
            # h1); later, a line repeated is an image's alt text and caption.
            if not prose_seen and line not in headlines:
                headlines.add(line)
                blocks.append(_heading(line))
                last_line_blocks = 1
                continue
            removed["image caption"] += 1
            continue
        line = _split_glued(line)
        marked = MARKED_HEADING.match(line)
        if marked and not looks_like_heading_line(line):
            if len(line.split()) <= MAX_MARKED_HEADING_WORDS and not SENTENCE_BREAK.search(line):
                blocks.append(_heading(line))
                last_line_blocks = 1
                continue
            line = line[marked.end():]  # prose behind heading marks: the marks are markup
        if looks_like_heading_line(line) or is_numbered_heading(lines, number) \
                or (not blocks and is_long_headline(line)):
            blocks.append(_heading(line))
            last_line_blocks = 1
            continue
        start = dateline_end(line) or (0 if prose_seen else colon_dateline_end(line, next_text(lines, number), text)) \
            or (domain_dash_end(line) if paragraphs < MAX_PARAGRAPHS_BEFORE_DOMAIN else 0)
        if len(line.split()) >= 8:
            # A copy, also behind a dateline: a standfirst the lead repeats after "(Agency) —".
            story = line[start:].strip() if start else line
            if line in seen or story in seen or openings.get(line, number) != number:
                removed["repeated block"] += 1
                continue
            seen.add(line)
            seen.add(story)
        if start:
            removed["dateline"] += 1
            line = line[start:]
        if not prose_seen and is_masthead_line(lines, number):
            blocks.append(_heading(line))
            last_line_blocks = 1
            continue
        paragraph = _paragraph_blocks(line, removed)
        paragraphs += any(not b.is_heading for b in paragraph)
        prose_seen = prose_seen or paragraphs > 0
        blocks.extend(paragraph)
        last_line_blocks = len(blocks) - made
    return _drop_dangling_headings(blocks), removed, PageOwnWords(outlet or holder, published, updated)


MAX_WIDGET_LINES = 8
MASTHEAD_WORDS = 3  # "the website / Sim Sim, / Charter 97!"


def next_text(lines: list[str], number: int) -> str:
    """The line after `number` (blank lines are gone by then), or "" at the end."""
    return lines[number + 1] if number + 1 < len(lines) else ""


def is_masthead_line(lines: list[str], number: int) -> bool:
    """Before the story, short lines in a row with no full stop are a masthead's slogan or a menu,
    not its first paragraph ("Checkmate!" alone may be)."""
    def short(i: int) -> bool:
        return 0 <= i < len(lines) and len(lines[i].split()) <= MASTHEAD_WORDS \
            and not lines[i].rstrip(CLOSING_MARKS).endswith(".")
    return short(number) and (short(number - 1) or short(number + 1))


def opens_comments(lines: list[str], number: int) -> bool:
    """Whether the readers' comments start at this line: their heading, the rules they are kept to
    ("Comments will be moderated."), or "Leave a Reply" over the comment form ("Your email address
    will not be published", "Fill in your details below")."""
    line = lines[number]
    if COMMENTS_HEADING.match(line) and not ends_a_sentence(line):
        return True
    if COMMENT_RULES.match(line) and len(line.split()) <= MAX_COMMENT_RULE_WORDS and not REPORTED.search(line):
        after = lines[number + 1:]
        return len(after) <= MAX_LINES_AFTER_COMMENT_RULES \
            and all(len(following.split()) <= MAX_WORDS_AFTER_COMMENT_RULES for following in after)
    return (LEAVE_A_REPLY.match(line) is not None or COMMENTS_COUNTED.match(line) is not None) and any(
        COMMENT_FORM.search(following) or OUTLET_NOTICE.search(following)
        for following in lines[number + 1:number + 1 + COMMENT_FORM_NEAR])


def heads_the_story(lines: list[str], number: int) -> bool:
    """A headline over its own date or byline ("Published: Mar 6, 2011"): the story starts here,
    and a widget before it ("Most read") has ended."""
    following = lines[number + 1] if number + 1 < len(lines) else ""
    return (len(lines[number].split()) >= HEADLINE_WORDS
            and (is_stamp_line(following) or bool(BYLINE.match(following))))


def is_widget_heading(lines: list[str], number: int, prose_seen: bool = True) -> bool:
    """A "Trending now", "Also read" or "More in Economy" heading, or a heading in capitals over
    at least two teaser lines: what follows is links to other stories, not this one. Before the
    story's first paragraph, a word in capitals over two headings is a section's label over the
    headline and its date ("WORLD")."""
    line = lines[number]
    if not looks_like_heading_line(line) or len(line.split()) > MAX_OUTLET_WIDGET_WORDS:
        return False
    if WIDGET_ON_OUTLET.match(line):
        return True
    if len(line.split()) > 6:
        return False
    if WIDGET_HEADING.match(line):
        return True
    following = lines[number + 1:number + 3]
    return (prose_seen and line.isupper() and len(following) == 2
            and all(looks_like_heading_line(f) and not NUMBERED.match(f) and not f.isupper() for f in following))


MAX_HEADLINE_WORDS = 30  # a headline may run past MAX_HEADING_WORDS ("'We have to stick together': Picketers …")


def is_long_headline(line: str) -> bool:
    """A line of up to 30 words shaped like a heading: as a page's first line it is the headline
    ("'We have to stick together': Picketers temporarily block traffic ..."). A line ending in a
    colon introduces what follows."""
    return looks_like_heading_line(line, MAX_HEADLINE_WORDS) and not line.endswith(":")


def is_teaser_item(lines: list[str], number: int, ranked: bool) -> bool:
    """Under a widget's heading, a line shaped like a headline; under one that ranks other stories
    (`ranked`: "Most read"), also a numbered list's item of one ("1. Beach bars gear up for summer").
    Numbered items under "Latest updates" or "More on the budget" are the story's own, and a
    numbered line over prose heads the story's next section."""
    line = lines[number]
    numbered = NUMBERED.match(line)
    if numbered is None:
        return looks_like_heading_line(line)
    return ranked and not is_numbered_heading(lines, number) and looks_like_heading_line(line[numbered.end():])


# A widget that ranks other stories by their readers: its numbers are ranks, not the story's points.
RANKING_WIDGET = re.compile(r"^[\W_]*(?:most\s+(?:read|popular|viewed|shared|commented)|trending(?:\s+now)?|"
                            r"popular(?:\s+now|\s+stories)?|top\s+stories)\b", re.IGNORECASE)


def is_numbered_heading(lines: list[str], number: int) -> bool:
    """A numbered line of a few words with no sentence end, over a paragraph of prose and not
    next to another numbered line, heads a section ("1. Security and defence cooperation"); a list's
    items follow one another."""
    line = lines[number]
    numbered = NUMBERED.match(line)
    if numbered is None or number + 1 >= len(lines):
        return False
    item, following = line[numbered.end():], lines[number + 1]
    in_list = number > 0 and NUMBERED.match(lines[number - 1]) is not None
    return (not in_list and len(item.split()) <= 10 and looks_like_heading_line(item) and not NUMBERED.match(following)
            and len(following.split()) >= 8 and ends_with_a_stop(following))


HEADLINE_WORDS = 7  # fewer are a masthead or a section's label ("World", "DERAILED: Disaster in Ohio")
STANDFIRST_WORDS = 8  # a heading this long after the headline, before the prose, is its standfirst


SENTENCE_END_IN_LINE = re.compile(r"[.!?][\"”’)]?(?=\s+[\"“‘(]?[A-Z])")
MAX_OPENING_SENTENCES = 3


def paragraph_openings(lines: list[str]) -> dict[str, int]:
    """The first few sentences of each line, as a line would hold them alone, and the number of
    the line they open: a caption or a summary that repeats the start of another paragraph ("Dr
    Parikh confirmed ..." over "Dr Parikh confirmed ... Two more students remain missing") is a
    copy of it (a line whose tag is cut off later is no copy of itself). Only the first
    MAX_OPENING_SENTENCES ends of a line are cut at, so a long line costs its length a few times."""
    openings: dict[str, int] = {}
    for number, line in enumerate(lines):
        for found in itertools.islice(SENTENCE_END_IN_LINE.finditer(line), MAX_OPENING_SENTENCES):
            openings.setdefault(line[:found.end()], number)
    return openings


def _drop_dangling_headings(blocks: list[Block]) -> list[Block]:
    """A heading followed by another heading or by nothing introduces no text. Before the first
    prose the headline is kept, with any standfirst after it: the headline is the first heading
    of a headline's length (a masthead or a section's label may stand before it, a caption's
    first words after it), else the longest."""
    first_prose = next((i for i, b in enumerate(blocks) if not b.is_heading), None)
    if first_prose is None:
        return []
    lengths = [len(b.text.split()) for b in blocks[:first_prose]]
    headline = next((i for i, n in enumerate(lengths) if n >= HEADLINE_WORDS),
                    max(range(first_prose), key=lambda i: (lengths[i], -i), default=None))
    result: list[Block] = []
    if headline is not None:
        result = [blocks[headline], *(b for b, n in zip(blocks[headline + 1:first_prose], lengths[headline + 1:],
                                                        strict=True) if n >= STANDFIRST_WORDS)]
    for i, block in enumerate(blocks[first_prose:], start=first_prose):
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        if block.is_heading and (following is None or following.is_heading):
            continue
        result.append(block)
    return result


MAX_SECTION_LABEL_WORDS = 3


def infer_title(blocks: list[Block]) -> tuple[str | None, list[Block], bool]:
    """A leading heading is the article's headline, its title as the outlet wrote it; otherwise
    its first words stand in, marked inferred (the third value) so no page passes them off as one."""
    if not blocks:
        return None, blocks, False
    # A section's label over the headline ("Current News" over "Key Bridge collapse: Port channel
    # reopening on target, ... Gov. Moore says", a line with no sentence's end): the line is the headline.
    if blocks[0].is_heading and len(blocks) > 1 and len(blocks[0].text.split()) <= MAX_SECTION_LABEL_WORDS \
            and not blocks[1].is_heading and not ends_with_a_stop(blocks[1].text) \
            and MAX_SECTION_LABEL_WORDS < len(blocks[1].text.split()) <= MAX_HEADLINE_WORDS:
        return blocks[1].text, blocks[2:], False
    if blocks[0].is_heading:
        return blocks[0].text, blocks[1:], False
    words = blocks[0].text.split()
    first = " ".join(words[:12])
    return (first + "…" if len(words) > 12 else first), blocks, True


MAX_HEAD_WORDS = 12  # above the headline, a line this short is the page's head, not a standfirst
HEADLINE_WITHIN = 40  # lines the headline may be preceded by
HEADLINE_MARKS = re.compile(r"^[#\s]+")


def lines_above_the_headline(lines: list[str], title: str | None) -> int:
    """How many lines open the page above its headline (the line that repeats the title the
    metadata gives), if all are short: a site's or an aggregator's head ("One app.", "Start
    reading", a section's name). 0 when the headline is not near the top, or a longer line (a
    summary) stands above it."""
    if not title:
        return 0
    wanted = " ".join(title.split()).casefold()
    for number, line in enumerate(lines[:HEADLINE_WITHIN]):
        if " ".join(HEADLINE_MARKS.sub("", line).split()).casefold() == wanted:
            return number if all(len(above.split()) <= MAX_HEAD_WORDS for above in lines[:number]) else 0
    return 0


SLUG_WORD = re.compile(r"[a-z0-9]+")
MIN_SLUG_WORDS = 4
MIN_CUT_SLUG_WORDS = 6  # a slug this long may be the headline's start, cut by the site


def headline_named_by_url(text: str, url: str | None) -> str | None:
    """The line near the top whose words are those of the URL's last path part, for a page whose
    metadata gives no title: ".../svb-collapse-federal-regulators-shut-down-signature-bank" names
    the headline "SVB Collapse: Federal Regulators Shut Down Signature Bank", under an
    aggregator's "Get all your news in one place." that would otherwise stand in for it."""
    if not url:
        return None
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    last = next((part for part in reversed(path.split("/")) if part), "")
    slug = SLUG_WORD.findall(re.sub(r"\.[a-z]{2,5}$", "", last.lower()))
    if slug and any(ch.isdigit() for ch in slug[-1]):  # "...-second-day-a1b2c3": the site's id
        slug = slug[:-1]
    if len(slug) < MIN_SLUG_WORDS:
        return None
    for line in text.split("\n", HEADLINE_WITHIN * 2)[:HEADLINE_WITHIN * 2]:
        line = " ".join(HEADLINE_MARKS.sub("", line).split())
        words = SLUG_WORD.findall(line.lower())
        if words == slug or (len(slug) >= MIN_CUT_SLUG_WORDS and words[:len(slug)] == slug):
            return line if len(line.split()) <= MAX_HEADLINE_WORDS else None
    return None


def clean(article: Article) -> CleanArticle:
    url_headline = headline_named_by_url(article.text, article.meta.url) if article.meta.title is None else None
    blocks, removed, own = clean_text(article.text, article.meta.title or url_headline)
    meta = article.meta
    if url_headline is not None:
        meta = dataclasses.replace(meta, title=url_headline)
    if meta.published is None and own.published:
        meta = dataclasses.replace(meta, published=own.published, published_from="text")
    elif meta.published is None and own.updated:
        meta = dataclasses.replace(meta, published=own.updated, published_from="update stamp")
    if meta.title is None:
        title, blocks, inferred = infer_title(blocks)
        meta = dataclasses.replace(meta, title=title, title_inferred=inferred)
    # The maintainer's publisher, else the outlet the URL's host names, else one its disclaimer or
    # copyright line names.
    if meta.publisher is None and (from_url := outlet_from_url(meta.url)):
        meta = dataclasses.replace(meta, publisher=from_url, publisher_from="url")
    if meta.publisher is None and own.outlet:
        meta = dataclasses.replace(meta, publisher=own.outlet, publisher_from="text")
    return CleanArticle(
        article=dataclasses.replace(article, meta=meta),
        blocks=tuple(blocks),
        removed=tuple(Removal(kind, count) for kind, count in sorted(removed.items()) if count),
    )


def detect_spin(blocks: tuple[Block, ...], settings: SpinDetection) -> tuple[SpinEvidence, ...]:
    """Phrases a synonym spinner leaves behind, if they occur often enough to call the text spun."""
    joined = " ".join(b.text for b in blocks if not b.is_heading)
    # Most texts hold no phrase: they are looked for in the ASCII-lowered bytes, and the text is
    # lowered (slow, with curly quotes in it) and its words counted only for a phrase found.
    ascii_lowered = ascii_lowered_bytes(joined)
    text: str | None = None
    evidence = []
    for signature in settings.signatures:
        phrase = signature.phrase.lower()
        if ascii_lowered is not None and phrase.isascii() and phrase.encode() not in ascii_lowered:
            continue
        if text is None:
            text = joined.lower()
        if phrase not in text:  # most phrases are absent: a substring test spares the pattern
            continue
        count = len(re.findall(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", text))
        if count:
            evidence.append(SpinEvidence(signature.phrase, signature.meaning, count))
    if not evidence or text is None:  # no phrase: (), whatever the settings
        return ()
    words = max(1, len(text.split()))
    total = sum(e.count for e in evidence)
    if len(evidence) >= settings.min_distinct and total * 1000 / words >= settings.threshold_per_1000_words:
        return tuple(sorted(evidence, key=lambda e: (-e.count, e.phrase)))
    return ()


ASCII_LOWER = bytes(c + 32 if 65 <= c <= 90 else c for c in range(256))


def ascii_lowered_bytes(text: str) -> bytes | None:
    """`text` in UTF-8 with ASCII's capitals made small: an ASCII phrase is in it just where it
    is in text.lower(), which maps no other character to ASCII but "İ" and the Kelvin sign (None
    for a text holding either, or a lone surrogate)."""
    if "\u0130" in text or "\u212a" in text:
        return None
    try:
        return text.encode().translate(ASCII_LOWER)
    except UnicodeEncodeError:
        return None


ENGLISH_FUNCTION_WORDS = frozenset(
    "the of and to in a is that for on with as by was it are at from be this has have which its an not".split()  # noqa: SIM905
)


def language_problem(blocks: tuple[Block, ...], language: str) -> str | None:
    """English prose is about a third function words; text with almost none is in another language."""
    if language != "en":
        return None  # only English is checked; other languages need their own word lists
    words, common = function_word_count(" ".join(b.text for b in blocks if not b.is_heading))
    if words < 30:
        return None
    share = common / words
    if share < 0.08:
        return f"does not look like English ({share:.0%} common English words); its sentences may not match topics"
    return None


LETTERS = re.compile(r"[^\W\d_]+")  # a word, as language_problem counts them
ENGLISH_FUNCTION_WORDS_BYTES = frozenset(word.encode() for word in ENGLISH_FUNCTION_WORDS)
# ASCII's letters in lowercase, 0x80 (which stands for a letter beyond ASCII) as it is, every other byte a space.
ASCII_WORD_BYTES = bytes(c + 32 if 65 <= c <= 90 else c if 97 <= c <= 122 or c == 0x80 else 32 for c in range(256))
ASCII_BYTES = bytes(range(128))


def function_word_count(text: str) -> tuple[int, int]:
    """How many words (runs of LETTERS in `text` lowered) there are, and how many of them are
    ENGLISH_FUNCTION_WORDS. Counted in the UTF-8 bytes, where one translate lowers ASCII's letters
    and turns all else to spaces: each character beyond ASCII is first replaced by what lower()
    makes of it (a letter beyond ASCII as 0x80, in no function word), so the words are the same.
    Four times faster than lower() and the pattern on text with curly quotes, which made
    lower() take its slow path."""
    try:
        data = text.encode()
    except UnicodeEncodeError:  # a lone surrogate
        words = LETTERS.findall(text.lower())
        return len(words), sum(map(ENGLISH_FUNCTION_WORDS.__contains__, words))
    beyond_ascii = data.translate(None, ASCII_BYTES)  # the bytes of its characters beyond ASCII, whole
    for char in set(beyond_ascii.decode()):
        # lower() maps a character alone (but the Greek capital sigma, a letter either way);
        # "İ" becomes "i" and a combining dot, the Kelvin sign "k".
        data = data.replace(char.encode(), b"".join(part.encode() if part.isascii()
                                                    else b"\x80" if LETTERS.match(part) else b" "
                                                    for part in char.lower()))
    found = data.translate(ASCII_WORD_BYTES).split()
    return len(found), sum(map(ENGLISH_FUNCTION_WORDS_BYTES.__contains__, found))  # counted in C, not a loop
