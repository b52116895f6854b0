export { type AxiosLike, type AxiosOptions, instrumentAxios } from './instrument-axios'
