export { TaskPanel } from './TaskPanel';
export { createdTask, isTerminal, taskSupportOf, type TaskInfo } from './model';
