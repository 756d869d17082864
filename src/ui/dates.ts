// Dates are formatted by the model, so that messages and tables write them alike.
export {formatDate} from '../model/dates.js'
