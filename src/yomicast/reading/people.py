"""People in the news whose names Open JTalk misreads, with the readings they go by.

Open JTalk reads a given name it does not know kanji by kanji (上田綺世 ウエダアヤギヌヨ, 南野拓実
ミナミノタクジツ), and Sudachi's lexicon is no better on names: of 50 names measured in the news, the two
disagreed on 18, and each was right on about half of those (Sudachi reads 岸田文雄 キシダブンユウ, 大谷翔平
オオヤ). So names are curated, not guessed: this table lists each full name as written, with its reading
in hiragana, and a family name alone only where it has one reading (茂木 もてぎ). It ranks with the other
curated tables, after the show's own ``[pronunciations]``; a name printed with its reading in brackets
needs no entry (``context.read_bracketed_readings``).
"""

from __future__ import annotations

import re

PEOPLE: dict[str, str] = {
    # politics, here and abroad
    "茂木敏充": "もてぎとしみつ",
    "茂木": "もてぎ",
    "岩屋毅": "いわやたけし",
    "赤沢亮正": "あかざわりょうせい",
    "神谷宗幣": "かみやそうへい",
    "榛葉賀津也": "しんばかづや",
    "野田聖子": "のだせいこ",
    "李強": "りきょう",
    "尹錫悦": "ゆんそんにょる",
    "李在明": "いじぇみょん",
    "頼清徳": "らいせいとく",
    # business and culture
    "孫正義": "そんまさよし",
    "三木谷浩史": "みきたにひろし",
    "前澤友作": "まえざわゆうさく",
    "米津玄師": "よねづけんし",  # ヨネヅ: his own spelling
    "藤井風": "ふじいかぜ",
    "宮崎駿": "みやざきはやお",
    "新垣結衣": "あらがきゆい",
    "上白石萌音": "かみしらいしもね",
    "菅田将暉": "すだまさき",
    "山崎賢人": "やまざきけんと",
    "河合優実": "かわいゆうみ",
    # sport
    "上田綺世": "うえだあやせ",
    "鈴木彩艶": "すずきざいおん",
    "冨安健洋": "とみやすたけひろ",
    "久保建英": "くぼたけふさ",
    "南野拓実": "みなみのたくみ",
    "堂安律": "どうあんりつ",
    "板倉滉": "いたくらこう",
    "中村敬斗": "なかむらけいと",
    "前田大然": "まえだだいぜん",
    "古橋亨梧": "ふるはしきょうご",
    "旗手怜央": "はたてれお",
    "佐々木朗希": "ささきろうき",
    "今永昇太": "いまながしょうた",
    "菊池雄星": "きくちゆうせい",
    "吉田正尚": "よしだまさたか",
    "宮城大弥": "みやぎひろや",
    "髙橋宏斗": "たかはしひろと",
    "高橋宏斗": "たかはしひろと",
    "堀米雄斗": "ほりごめゆうと",
    "角田裕毅": "つのだゆうき",
    "阿部詩": "あべうた",
    "北口榛花": "きたぐちはるか",
    "早田ひな": "はやたひな",
    "伊藤美誠": "いとうみま",
    "宇野昌磨": "うのしょうま",
}
_NAME = re.compile("|".join(sorted(map(re.escape, PEOPLE), key=len, reverse=True)))


def read_people(text: str) -> str:
    """The curated names read as their owners say them: 南野拓実 みなみのたくみ."""
    return _NAME.sub(lambda m: PEOPLE[m.group(0)], text)
