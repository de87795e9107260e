// Reference data the seed draws from. Patterns use the kit's fillPattern: A letter, 9 digit, X either.

/** Car makes with their world manufacturer identifier (first three VIN characters) and models. */
export const VEHICLE_MAKES = [
  { make: 'Peugeot', wmi: 'VF3', models: ['208', '308', '3008', '508', '5008'] },
  { make: 'Renault', wmi: 'VF1', models: ['Clio', 'Mégane', 'Captur', 'Scénic', 'Kadjar'] },
  { make: 'Citroën', wmi: 'VF7', models: ['C3', 'C4', 'C5 Aircross', 'Berlingo'] },
  { make: 'Dacia', wmi: 'UU1', models: ['Sandero', 'Duster', 'Jogger'] },
  { make: 'Volkswagen', wmi: 'WVW', models: ['Golf', 'Polo', 'Passat', 'Tiguan', 'T-Roc'] },
  { make: 'BMW', wmi: 'WBA', models: ['118i', '320d', '520d', 'X3', 'X5'] },
  { make: 'Mercedes-Benz', wmi: 'WDD', models: ['A 180', 'C 220 d', 'E 300', 'GLC 300'] },
  { make: 'Audi', wmi: 'WAU', models: ['A3', 'A4', 'A6', 'Q5'] },
  { make: 'Opel', wmi: 'W0L', models: ['Corsa', 'Astra', 'Insignia'] },
  { make: 'Fiat', wmi: 'ZFA', models: ['Panda', '500', 'Tipo'] },
  { make: 'SEAT', wmi: 'VSS', models: ['Ibiza', 'León', 'Ateca'] },
  { make: 'Škoda', wmi: 'TMB', models: ['Fabia', 'Octavia', 'Superb', 'Kodiaq'] },
  { make: 'Volvo', wmi: 'YV1', models: ['XC40', 'XC60', 'V60'] },
  { make: 'Toyota', wmi: 'JTD', models: ['Yaris', 'Corolla', 'RAV4', 'C-HR'] },
  { make: 'Ford', wmi: 'WF0', models: ['Fiesta', 'Focus', 'Kuga', 'Puma'] },
  { make: 'Tesla', wmi: '5YJ', models: ['Model 3', 'Model Y'] },
  { make: 'Chevrolet', wmi: '1G1', models: ['Malibu', 'Camaro'] },
] as const;

export const COLOURS = ['black', 'white', 'grey', 'silver', 'blue', 'red', 'green', 'brown', 'beige', 'yellow'] as const;

/** National plate formats, as issued (display form, with the country's separators). */
export const PLATE_PATTERNS: Record<string, readonly string[]> = {
  FR: ['AA-999-AA'],
  DE: ['M-AA 9999', 'B-AA 999', 'HH-AA 99', 'K-A 9999', 'F-AA 999', 'S-AA 9999'],
  NL: ['99-AAA-9', 'AA-999-A'],
  GB: ['AA99 AAA'],
  ES: ['9999 AAA'],
  IT: ['AA 999 AA'],
  US: ['9AAA999'],
  PL: ['WA 99999', 'KR 9999A', 'PO 999AA', 'GD 99999'],
  BE: ['1-AAA-999', '2-AAA-999'],
};

/** Countries whose plates and documents the seed knows how to write. */
export const SEED_COUNTRIES = Object.keys(PLATE_PATTERNS);

/**
 * Document number formats per issuing country. No literals: two formats of one country either differ
 * in shape or share their uniqueness slots, so fillPattern keeps (number, country) unique.
 */
export const DOCUMENT_PATTERNS: Record<string, { PASSPORT: string; IDENTITY_CARD?: string }> = {
  FR: { PASSPORT: '99AA99999', IDENTITY_CARD: 'A9AAAAAA9' },
  DE: { PASSPORT: 'A99A99A99', IDENTITY_CARD: 'A9AA99A99' },
  NL: { PASSPORT: 'AA99AA9A9', IDENTITY_CARD: 'AA9AA99A9' },
  GB: { PASSPORT: '999999999' },
  ES: { PASSPORT: 'AAA999999', IDENTITY_CARD: '99999999A' },
  IT: { PASSPORT: 'AA9999999', IDENTITY_CARD: 'AA99999AA' },
  US: { PASSPORT: 'A99999999' },
  PL: { PASSPORT: 'AA9999999', IDENTITY_CARD: 'AAA999999' },
  BE: { PASSPORT: 'AA999999', IDENTITY_CARD: '999999999999' },
};
export const RESIDENCE_PERMIT_PATTERN = 'AA9999999';
export const VISA_PATTERN = '999999999';

/** Firearms commonly reported stolen, with each manufacturer's serial format. */
export const FIREARMS = [
  { make: 'Glock', model: '17', calibre: '9x19mm', serial: 'AAA999' },
  { make: 'Glock', model: '19', calibre: '9x19mm', serial: 'AAA999' },
  { make: 'Beretta', model: '92FS', calibre: '9x19mm', serial: 'BER999999Z' },
  { make: 'SIG Sauer', model: 'P226', calibre: '9x19mm', serial: 'U999999' },
  { make: 'Walther', model: 'P99', calibre: '9x19mm', serial: 'FAA9999' },
  { make: 'CZ', model: '75 B', calibre: '9x19mm', serial: 'A999999' },
  { make: 'Heckler & Koch', model: 'USP', calibre: '.40 S&W', serial: '99-999999' },
  { make: 'Browning', model: 'Hi-Power', calibre: '9x19mm', serial: '999AA99999' },
  { make: 'Smith & Wesson', model: 'Model 686', calibre: '.357 Magnum', serial: 'AAA9999' },
  { make: 'Colt', model: 'M1911A1', calibre: '.45 ACP', serial: '9999999' },
  { make: 'Ruger', model: '10/22', calibre: '.22 LR', serial: '9999-99999' },
  { make: 'Remington', model: '870', calibre: '12 gauge', serial: 'RS99999A' },
  { make: 'Mossberg', model: '500', calibre: '12 gauge', serial: 'V9999999' },
  { make: 'Benelli', model: 'M4', calibre: '12 gauge', serial: 'M999999' },
  { make: 'Sako', model: '85', calibre: '.308 Winchester', serial: '9999999' },
  { make: 'Kalashnikov', model: 'AKM', calibre: '7.62x39mm', serial: 'AA9999' },
] as const;

/** Artists, the movement and years they are catalogued under, and titles of the kind reported stolen. */
export const ARTISTS = [
  {
    artist: 'Claude Monet',
    movement: 'Impressionism',
    years: [1865, 1926],
    titles: ['Nymphéas', 'Le Pont japonais', "Meules, fin de l'été", 'La Seine à Vétheuil'],
  },
  {
    artist: 'Pierre-Auguste Renoir',
    movement: 'Impressionism',
    years: [1865, 1919],
    titles: ['Jeune fille au chapeau', 'Paysage à Cagnes', 'Baigneuse'],
  },
  {
    artist: 'Édouard Manet',
    movement: 'Realism',
    years: [1859, 1883],
    titles: ['Chez Tortoni', 'Nature morte aux huîtres', 'Le Printemps'],
  },
  {
    artist: 'Paul Cézanne',
    movement: 'Post-Impressionism',
    years: [1870, 1906],
    titles: ['La Montagne Sainte-Victoire', 'Pommes et oranges', 'Joueurs de cartes (étude)'],
  },
  {
    artist: 'Vincent van Gogh',
    movement: 'Post-Impressionism',
    years: [1881, 1890],
    titles: ['Lentetuin, de pastorietuin te Nuenen', 'Zeegezicht bij Scheveningen', 'Korenveld'],
  },
  { artist: 'Johannes Vermeer', movement: 'Dutch Golden Age', years: [1654, 1675], titles: ['Het concert', 'Vrouw met weegschaal'] },
  {
    artist: 'Rembrandt van Rijn',
    movement: 'Dutch Golden Age',
    years: [1625, 1669],
    titles: ['Storm op het meer van Galilea', 'Portret van een man'],
  },
  {
    artist: 'Albrecht Dürer',
    movement: 'Northern Renaissance',
    years: [1490, 1528],
    titles: ['Studie einer Hand', 'Bildnis eines jungen Mannes'],
  },
  { artist: 'Caspar David Friedrich', movement: 'Romanticism', years: [1798, 1840], titles: ['Nebelschwaden', 'Mondaufgang am Meer'] },
  { artist: 'Francisco de Goya', movement: 'Romanticism', years: [1770, 1828], titles: ['Retrato de una dama', 'El Coloso (estudio)'] },
  {
    artist: 'Caravaggio',
    movement: 'Baroque',
    years: [1592, 1610],
    titles: ['Natività con i santi Lorenzo e Francesco', 'Ritratto di gentiluomo'],
  },
  { artist: 'Amedeo Modigliani', movement: 'Modernism', years: [1906, 1920], titles: ["Femme à l'éventail", 'Nu couché (dessin)'] },
  { artist: 'Pablo Picasso', movement: 'Cubism', years: [1907, 1973], titles: ['Le Pigeon aux petits pois', "Tête d'Arlequin"] },
  { artist: 'Henri Matisse', movement: 'Fauvism', years: [1900, 1954], titles: ['La Pastorale', 'Odalisque en culotte rouge'] },
  { artist: 'Gustav Klimt', movement: 'Vienna Secession', years: [1890, 1918], titles: ['Bildnis einer Frau', 'Bauerngarten'] },
  { artist: 'Edvard Munch', movement: 'Expressionism', years: [1885, 1944], titles: ['Madonna', 'Skrik (litografi)'] },
  { artist: 'Józef Chełmoński', movement: 'Realism', years: [1870, 1914], titles: ['Babie lato', 'Żurawie'] },
  { artist: 'Joaquín Sorolla', movement: 'Luminism', years: [1884, 1923], titles: ['Paseo a orillas del mar', 'Niños en la playa'] },
] as const;
