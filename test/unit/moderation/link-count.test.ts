import { linkCountOf } from '../../../src/moderation/phases/score';

describe('links counted for the spam model', () => {
  it('when a link has both a scheme and www., then it counts once', () => {
    expect(linkCountOf('The full budget is here: https://www.cityofportland.gov/budget/2026-adopted.pdf and page 14.')).toBe(1);
    expect(linkCountOf('See HTTP://WWW.EXAMPLE.ORG/a')).toBe(1);
  });

  it('when links are written with a scheme, bare www. or both, then each counts once', () => {
    expect(linkCountOf('www.a.org, http://b.org and https://www.c.org/x')).toBe(3);
    expect(linkCountOf('no link here, not even awww.')).toBe(0);
  });
});
