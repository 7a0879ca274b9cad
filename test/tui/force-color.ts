// Imported first by the rendering tests: ink's colour support is decided when chalk loads,
// and the test streams are not terminals, so without this no inverse/colour escape is drawn.
process.env.FORCE_COLOR = '1';
