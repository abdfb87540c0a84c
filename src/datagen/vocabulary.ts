/**
 * The synthetic catalogue's words. Each category owns its tags, brands and description nouns, so items of
 * one category share vocabulary and content-based similarity has something real to find.
 */
export interface CategoryVocabulary {
  readonly name: string;
  readonly tags: readonly string[];
  readonly brands: readonly string[];
  readonly nouns: readonly string[];
  /** Typical price; item prices spread log-normally around it. */
  readonly basePrice: number;
}

export const CATEGORIES: readonly CategoryVocabulary[] = [
  {
    name: 'electronics',
    tags: ['wireless', 'bluetooth', 'portable', 'smart', 'usb-c', 'rechargeable', 'noise-cancelling', '4k'],
    brands: ['voltix', 'nexa', 'sonora', 'pixelon', 'ampere'],
    nouns: ['headphones', 'speaker', 'charger', 'monitor', 'tablet', 'camera'],
    basePrice: 120,
  },
  {
    name: 'books',
    tags: ['fiction', 'mystery', 'history', 'science', 'biography', 'fantasy', 'cookbook', 'poetry'],
    brands: ['inkwell', 'paperlane', 'quillhouse', 'folio', 'bindery'],
    nouns: ['novel', 'anthology', 'guide', 'memoir', 'collection', 'handbook'],
    basePrice: 18,
  },
  {
    name: 'apparel',
    tags: ['cotton', 'denim', 'summer', 'winter', 'casual', 'formal', 'waterproof', 'slim-fit'],
    brands: ['threadly', 'norvik', 'castile', 'urbanfox', 'loomwell'],
    nouns: ['jacket', 'shirt', 'dress', 'sweater', 'jeans', 'coat'],
    basePrice: 45,
  },
  {
    name: 'home',
    tags: ['kitchen', 'bedroom', 'minimalist', 'ceramic', 'wooden', 'scented', 'storage', 'vintage'],
    brands: ['hearthly', 'casamia', 'nordhem', 'dwello', 'oakroot'],
    nouns: ['lamp', 'mug', 'blanket', 'shelf', 'candle', 'vase'],
    basePrice: 35,
  },
  {
    name: 'garden',
    tags: ['organic', 'outdoor', 'solar', 'perennial', 'seeds', 'irrigation', 'compost', 'shade'],
    brands: ['greenfold', 'bloomery', 'terrawise', 'sproutly', 'mossgate'],
    nouns: ['planter', 'hose', 'trowel', 'lantern', 'fertilizer', 'bench'],
    basePrice: 30,
  },
  {
    name: 'toys',
    tags: [
      'educational',
      'puzzle',
      'plush',
      'building',
      'outdoor-play',
      'board-game',
      'remote-control',
      'creative',
    ],
    brands: ['playburst', 'tinkertot', 'wonderbox', 'kidzo', 'brickly'],
    nouns: ['robot', 'puzzle', 'teddy', 'kit', 'car', 'game'],
    basePrice: 25,
  },
  {
    name: 'sports',
    tags: ['running', 'yoga', 'cycling', 'fitness', 'hiking', 'swimming', 'lightweight', 'breathable'],
    brands: ['stridex', 'peakform', 'aerofit', 'trailhawk', 'corecraft'],
    nouns: ['shoes', 'mat', 'bottle', 'helmet', 'backpack', 'tracker'],
    basePrice: 60,
  },
  {
    name: 'beauty',
    tags: [
      'vegan',
      'fragrance-free',
      'hydrating',
      'spf',
      'organic-skincare',
      'matte',
      'travel-size',
      'sensitive',
    ],
    brands: ['lumiere', 'purelle', 'velvetia', 'glowlab', 'botanica'],
    nouns: ['serum', 'lipstick', 'cleanser', 'moisturizer', 'palette', 'shampoo'],
    basePrice: 22,
  },
  {
    name: 'grocery',
    tags: ['gluten-free', 'snack', 'coffee', 'tea', 'spicy', 'sugar-free', 'bulk', 'fair-trade'],
    brands: ['harvestco', 'pantryfresh', 'goldengrain', 'beanery', 'orchardly'],
    nouns: ['beans', 'granola', 'sauce', 'cookies', 'pasta', 'honey'],
    basePrice: 9,
  },
  {
    name: 'automotive',
    tags: ['led', 'all-weather', 'diagnostic', 'cleaning', 'towing', 'interior', 'performance', 'safety'],
    brands: ['motorix', 'roadline', 'gearhead', 'torqueup', 'drivewell'],
    nouns: ['wipers', 'charger', 'cover', 'jack', 'polish', 'dashcam'],
    basePrice: 40,
  },
  {
    name: 'music',
    tags: ['vinyl', 'acoustic', 'jazz', 'rock', 'classical', 'electronic-music', 'studio', 'beginner'],
    brands: ['resonant', 'fretworks', 'tempo', 'chordia', 'soundforge'],
    nouns: ['guitar', 'album', 'keyboard', 'strings', 'microphone', 'drumsticks'],
    basePrice: 55,
  },
  {
    name: 'health',
    tags: ['vitamins', 'protein', 'sleep', 'immunity', 'herbal', 'first-aid', 'ergonomic', 'massage'],
    brands: ['vitalis', 'wellspring', 'carewell', 'nutriva', 'calmora'],
    nouns: ['supplement', 'thermometer', 'pillow', 'powder', 'roller', 'capsules'],
    basePrice: 28,
  },
];

/** Words shared by every category, so descriptions are not trivially separable. */
export const COMMON_WORDS: readonly string[] = [
  'premium',
  'classic',
  'everyday',
  'durable',
  'compact',
  'deluxe',
  'essential',
  'popular',
  'new',
  'quality',
  'gift',
  'value',
  'design',
  'comfort',
  'style',
  'edition',
];

export const MEMBERSHIPS = ['free', 'silver', 'gold', 'platinum'] as const;
export const MEMBERSHIP_WEIGHTS = [0.55, 0.25, 0.15, 0.05] as const;
export const AGE_GROUPS = ['18-24', '25-34', '35-44', '45-54', '55+'] as const;
export const REGIONS = ['north', 'south', 'east', 'west', 'central'] as const;
export const DEVICES = ['mobile', 'desktop', 'tablet'] as const;
export const DEVICE_WEIGHTS = [0.6, 0.3, 0.1] as const;
