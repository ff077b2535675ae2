// express@4 is installed as `express4` for the host-compatibility tests; its API (app.use of a
// router) is typed like express 5's for that purpose.
declare module 'express4' {
  import express from 'express';
  export default express;
}
