// Security phrases (spec §9.8): "<Adjective> <noun>", shown where the user asked to sign in and
// printed in the message, so they can tell their own request from someone else's.
import { randomInt } from 'node:crypto';

const ADJECTIVES = (
  'Adorable Adventurous Agreeable Amazing Amiable Amusing Ancient Awesome Beautiful Blissful Bold Brave Breezy ' +
  'Bright Brilliant Bubbly Calm Careful Charming Cheerful Classic Clever Colorful Cool Cosy Courageous Creative ' +
  'Curious Dazzling Delightful Dependable Determined Diligent Dynamic Eager Elegant Enchanting Energetic ' +
  'Excellent Exuberant Fabulous Fair Faithful Fancy Fantastic Fearless Festive Fine Friendly Funny Gallant ' +
  'Generous Gentle Genuine Gifted Glad Gleaming Glorious Golden Good Graceful Grand Grateful Happy Harmonious ' +
  'Hearty Helpful Heroic Honest Hopeful Humble Imaginative Incredible Inventive Jolly Jovial Joyful Kind Lively ' +
  'Lovely Loyal Lucky Magical Majestic Marvelous Mellow Merry Mighty Modest Nice Noble Optimistic Patient ' +
  'Peaceful Playful Pleasant Polite Proud Quick Quiet Radiant Relaxed Reliable Remarkable Rosy Serene Sharp ' +
  'Shiny Sincere Smart Smiling Sparkling Splendid Steady Sunny Super Superb Sweet Swift Talented Tender ' +
  'Thoughtful Tidy Tranquil Trusty Upbeat Valiant Vibrant Vivid Warm Wise Witty Wonderful Zesty'
).split(' ');
const NOUNS = (
  'acorn apple apricot badger balloon banana beacon bear beaver bee berry bicycle bird blossom breeze brook ' +
  'butterfly cactus canoe canyon cedar cherry cloud clover comet compass coral cricket crystal daisy dolphin ' +
  'dragonfly eagle elephant falcon feather fern firefly flamingo forest fox galaxy garden giraffe glacier ' +
  'harbor hedgehog heron hill honey horizon island jasmine kangaroo kite koala lagoon lantern lemon lighthouse ' +
  'lily lion llama lotus maple meadow melon meteor moon mountain nightingale oak ocean orange orchid otter owl ' +
  'panda parrot peach pebble penguin pepper pine planet pumpkin rabbit rainbow raven river robin rocket rose ' +
  'sailboat salmon sparrow squirrel star sunflower swan tiger tulip turtle violet volcano walrus waterfall ' +
  'whale willow wolf zebra'
).split(' ');

/** A random phrase, each word picked with a CSPRNG. */
export function securityPhrase(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]} ${NOUNS[randomInt(NOUNS.length)]}`;
}
