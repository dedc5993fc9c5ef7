// Parse a feed with the Podcast Index's own parser and print what it recognised, as JSON.
// usage: node partytime.js feed.xml
const fs = require("fs");
const pt = require("podcast-partytime");

const feed = pt.parseFeed(fs.readFileSync(process.argv[2], "utf8"), { allowMissingGuid: false });
if (!feed) {
  console.error("partytime: not a feed it can read");
  process.exit(1);
}
console.log(JSON.stringify({
  title: feed.title,
  pc20support: feed.pc20support,
  medium: feed.medium,
  license: feed.license,
  podcastPeople: feed.podcastPeople,
  items: feed.items.map((item) => ({
    title: item.title,
    guid: item.guid,
    enclosure: item.enclosure,
    podcastEpisode: item.podcastEpisode,
    podcastSeason: item.podcastSeason,
    podcastPeople: item.podcastPeople,
    alternativeEnclosures: item.alternativeEnclosures,
    transcripts: item.podcastTranscripts,
    chapters: item.podcastChapters,
  })),
}));
